// Notes (never failures) and documented differences reach every report format.
import { describe, expect, test } from "vitest";
import type { CellRecord } from "./cell-record.js";
import { renderFailures } from "./grid.js";
import { renderHtml } from "./html.js";
import { renderJunit } from "./junit.js";
import { renderMarkdown } from "./markdown.js";

const note = 'header x-initial-ascii: arrived folded as ["a, b"], expected ["a","b"]: equal once split on ","';
const cells: CellRecord[] = [
  { client: "go", server: "ts", pattern: "unary", case: "metadata-unary", category: "metadata", status: "passed", durationMs: 3, notes: [note] },
  {
    client: "ts", server: "go", pattern: "unary", case: "deadline-unary", category: "deadlines", status: "known-failing", durationMs: 3,
    knownFailingReason: "a <race>", documentedDifference: ["^status: expected DEADLINE_EXCEEDED, got CANCELLED"], error: "status: expected DEADLINE_EXCEEDED, got CANCELLED",
  },
];
const run = { runtime: "process" };

describe("notes and documented differences", () => {
  test("markdown: a Notes section naming the cell; the documented difference under a known-failing cell", () => {
    const md = renderMarkdown(cells, run);
    expect(md).toContain("## Notes");
    expect(md).toContain(`- go -> ts \\| metadata-unary (passed): ${note}`);
    expect(md).toContain("documented difference: /^status: expected DEADLINE_EXCEEDED, got CANCELLED/");
  });
  test("html: the same, escaped", () => {
    const html = renderHtml(cells, run);
    expect(html).toContain("<h2>Notes</h2>");
    expect(html).toContain("go -&gt; ts | metadata-unary</span> (passed): header x-initial-ascii: arrived folded as [&quot;a, b&quot;]");
    expect(html).toContain('<p class="documented">documented difference: /^status: expected DEADLINE_EXCEEDED, got CANCELLED/</p>');
    expect(html).not.toContain("<race>");
  });
  test("junit: notes in system-out, the documented difference in the skipped message", () => {
    const xml = renderJunit(cells, "process");
    expect(xml).toContain("<system-out>note: header x-initial-ascii: arrived folded as [&quot;a, b&quot;]");
    expect(xml).toContain('<skipped message="known-failing: a &lt;race&gt;; documented difference: /^status: expected DEADLINE_EXCEEDED, got CANCELLED/">');
  });
  test("terminal: a note is not a failure; a known-failing cell shows its documented difference", () => {
    const text = renderFailures(cells);
    expect(text).not.toContain("metadata-unary");
    expect(text).toContain("KNOWN-FAILING (a <race>) ts -> go | deadline-unary\n    status: expected DEADLINE_EXCEEDED, got CANCELLED\n    (documented difference: /^status: expected DEADLINE_EXCEEDED, got CANCELLED/)");
  });
});
