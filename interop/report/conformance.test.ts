import { describe, expect, it } from "vitest";
import { conformanceHtml, conformanceMarkdown, withConformance, type ConformanceReport } from "./conformance.js";
import { renderJunit } from "./junit.js";

const report: ConformanceReport = {
  runner: "connectconformance v1.0.7",
  command: "npm run conformance",
  finishedAt: "2026-11-22T04:00:00.000Z",
  modes: {
    server: {
      subject: "grpc-js server",
      total: 3,
      passed: 1,
      failed: 1,
      knownFailing: 1,
      knownFlaky: 0,
      wallMs: 1500,
      exitCode: 1,
      cases: [
        { name: "Basic/a", status: "passed" },
        { name: "Basic/<b>", status: "failed", message: "expecting 2 response messages but instead got 1" },
        { name: "Basic/c", status: "known-failing", message: "grpc-message OK" },
      ],
    },
  },
};

describe("conformance section of the reports", () => {
  const files = {
    "interop.md": "# Interop matrix\n",
    "index.html": "<html><body>\n</body></html>",
    "interop.json": JSON.stringify({ runtime: "process", cells: [] }),
    "junit.xml": renderJunit([], "process"),
  };

  it("adds the section, the cases and the totals to every report", () => {
    const out = withConformance(files, report);
    const md = conformanceMarkdown(report);
    expect(md).toContain("## conformance");
    expect(md).toContain("| server | grpc-js server | 1 | 1 | 0 | 1 | 3 | 1.5 s |");
    expect(md).toContain("- ✗ `Basic/<b>` (failed): expecting 2 response messages");
    expect(conformanceHtml(report)).toMatch(/<section id="conformance">[\s\S]*<code>Basic\/&lt;b&gt;<\/code>[\s\S]*<\/section>/);
    expect(JSON.parse(out["interop.json"]).conformance.server).toMatchObject({ passed: 1, failed: 1, knownFailing: 1, total: 3 });
    expect(out["junit.xml"]).toContain('<testsuites name="grpc-interop" tests="3" failures="1" skipped="1"');
    expect(out["junit.xml"]).toContain('<testsuite name="conformance server" tests="3" failures="1" skipped="1" time="1.500">');
    expect(out["junit.xml"]).toContain('name="Basic/&lt;b&gt;"');
    expect(out["junit.xml"].trimEnd().endsWith("</testsuites>")).toBe(true);
  });

  it("leaves the reports alone when there are no conformance results", () => {
    expect(withConformance(files, undefined)).toEqual(files);
  });
});
