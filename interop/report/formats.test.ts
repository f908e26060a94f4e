// The Markdown and HTML reports, the repro command and the progress line, on made-up cells.
import { describe, expect, test } from "vitest";
import type { CellRecord } from "./cell-record.js";
import { renderHtml } from "./html.js";
import { renderMarkdown } from "./markdown.js";
import { Progress } from "./progress.js";
import { reproCommand, shellQuote } from "./repro.js";

const cell = (over: Partial<CellRecord>): CellRecord => ({
  client: "go", server: "ts", pattern: "unary", case: "unary", category: "core", status: "passed", durationMs: 5, ...over,
});
const cells: CellRecord[] = [
  cell({}),
  cell({ client: "python", status: "failed", error: 'reply[0].message: expected "Hello x", got "<b>Hi</b> & ```x```"' }),
  cell({ client: "ts", status: "known-failing", knownFailingReason: "a <reason>", error: "e" }),
  cell({ pattern: "bidi", case: "bidi", category: "extra" }),
];
const run = { runtime: "process" };

describe("repro command", () => {
  test("names the cell's client, server, case and the run's runtime", () => {
    expect(reproCommand(cells[1], run)).toBe("npm run interop -- --client python --server ts --case unary --runtime process");
  });

  test("with --server-addr, it targets the same address instead of a reference server", () => {
    expect(reproCommand(cell({ server: "127.0.0.1:5000" }), { runtime: "process", serverAddr: "127.0.0.1:5000" })).toBe(
      "npm run interop -- --client go --server-addr 127.0.0.1:5000 --case unary --runtime process",
    );
  });

  test("quotes what the shell would otherwise interpret", () => {
    expect(shellQuote("server-*")).toBe("'server-*'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote("a-b_c.d")).toBe("a-b_c.d");
  });
});

describe("markdown", () => {
  const md = renderMarkdown(cells, run);

  test("a grid per pattern and per category, marking each pair", () => {
    expect(md).toContain("## By pattern");
    expect(md).toContain("## By case category");
    expect(md).toMatch(/^### unary$/m);
    expect(md).toMatch(/^### bidi$/m);
    expect(md).toMatch(/^### core$/m);
    expect(md).toMatch(/^### extra$/m);
    expect(md).toContain("| **go** | ✓ |");
    expect(md).toContain("| **python** | ✗ |");
    expect(md).toContain("| **ts** | ~ |");
    expect(md).toContain("4 cells: 2 passed, 1 failed, 1 known-failing");
  });

  test("failures list the error in a fence it cannot close, and the repro command", () => {
    expect(md).toContain("### ✗ python -> ts \\| unary (failed)");
    expect(md).toContain('````text\nreply[0].message: expected "Hello x", got "<b>Hi</b> & ```x```"\n````');
    expect(md).toContain("```sh\nnpm run interop -- --client python --server ts --case unary --runtime process\n```");
    expect(md).toContain("(known-failing: a <reason>)");
  });
});

describe("html", () => {
  const html = renderHtml(cells, run);

  test("is one self-contained page: inline style, nothing loaded from elsewhere", () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("<style>");
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);
  });

  test("escapes everything that comes from a run", () => {
    expect(html).not.toContain("<b>Hi</b>");
    expect(html).toContain("&lt;b&gt;Hi&lt;/b&gt; &amp; ```x```");
    expect(html).toContain("known-failing: a &lt;reason&gt;");
    expect(renderHtml([cell({ client: `"><img src=x onerror=alert(1)>`, status: "failed", error: "x" })], run)).not.toContain("<img");
  });

  test("a failed square links to its entry, which has the error and the repro command", () => {
    const link = /<td class="failed" title="unary: reply\[0\]\.message: [^"]*"><a href="#(cell-\d+)">✗<\/a><\/td>/.exec(html);
    expect(link).not.toBeNull();
    const entry = html.slice(html.indexOf(`id="${link![1]}"`));
    expect(entry).toMatch(/^id="cell-1" data-cell="python -&gt; ts \| unary">/);
    expect(entry).toContain('<code class="repro">npm run interop -- --client python --server ts --case unary --runtime process</code>');
  });
});

describe("progress", () => {
  const output = (isTTY: boolean) => {
    const writes: string[] = [];
    return { writes, out: { isTTY, columns: 80, write: (s: string) => writes.push(s) } };
  };

  test("on a terminal: one line rewritten in place, cleared at the end", () => {
    const { writes, out } = output(true);
    const p = new Progress(out);
    p.addCells(3);
    p.cellDone("a", false);
    p.cellDone("go -> ts | unary", true);
    p.finish();
    expect(writes).toEqual(["\r\x1b[Kprogress: 1/3 cells, 0 failed", "\r\x1b[Kprogress: 2/3 cells, 1 failed (go -> ts | unary)", "\r\x1b[K"]);
  });

  test("elsewhere: plain lines, one per tenth of the run, or after a quiet spell", () => {
    const { writes, out } = output(false);
    let now = 0;
    const p = new Progress(out, () => now, 5000);
    p.addCells(100);
    for (let i = 0; i < 100; i++) p.cellDone(`c${i}`, i === 42);
    expect(writes).toHaveLength(10);
    expect(writes[0]).toBe("progress: 10/100 cells, 0 failed\n");
    expect(writes[9]).toBe("progress: 100/100 cells, 1 failed (c42)\n");

    const slow = output(false);
    const q = new Progress(slow.out, () => now, 5000);
    q.addCells(100);
    q.cellDone("x", false);
    now += 5000;
    q.cellDone("y", false);
    expect(slow.writes).toEqual(["progress: 2/100 cells, 0 failed\n"]);
  });
});
