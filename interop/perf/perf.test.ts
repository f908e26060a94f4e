// npm run perf on a 2 x 2 corner of the matrix: it prints the table, writes perf.json with a
// figure for every metric of every cell, ratios to go -> go, and the charts in index.html.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, expect, test } from "vitest";
import { ROOT } from "../paths.js";
import { figure, METRICS, type PerfReport } from "./contract.js";

const dir = mkdtempSync(join(tmpdir(), "interop-perf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("npm run perf measures every metric for every cell, bounded, and reports it in all three places", async () => {
  const r = await execa(join(ROOT, "node_modules/.bin/tsx"), ["scripts/perf.ts", "--client", "go", "--client", "ts", "--server", "go", "--server", "ts"], {
    cwd: ROOT, reject: false, timeout: 180_000, env: { INTEROP_REPORTS_DIR: dir, GITHUB_STEP_SUMMARY: "" },
  });
  expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
  expect(r.stdout).toMatch(/client -> server\s+unary p50 \(c=1\)/);
  expect(r.stdout).toMatch(/^4 passed, 0 failed$/m);

  const report = JSON.parse(readFileSync(join(dir, "perf.json"), "utf8")) as PerfReport;
  expect(report.cells.map((c) => `${c.client} -> ${c.server}`).sort()).toEqual(["go -> go", "go -> ts", "ts -> go", "ts -> ts"]);
  for (const c of report.cells) {
    expect(c.error, `${c.client} -> ${c.server}`).toBeUndefined();
    for (const m of METRICS) expect(figure(c.figures, m.key), `${c.client} -> ${c.server} ${m.key}`).toBeGreaterThan(0);
    expect(c.wallMs).toBeLessThanOrEqual(report.settings.cellLimitMs + 1000); // the driver is killed at the limit
  }
  const goGo = report.cells.find((c) => c.client === "go" && c.server === "go")!;
  for (const m of METRICS) expect(goGo.ratios?.[m.key]).toBe(1);
  expect(goGo.tool).toMatch(/ghz/);
  expect(goGo.figures.unary!.c16.calls).toBeGreaterThan(goGo.figures.unary!.c1.calls / 4); // 16 workers really ran

  const html = readFileSync(join(dir, "index.html"), "utf8");
  expect((html.match(/<svg /g) ?? []).length).toBe(METRICS.length);
  expect(html).toContain("go -&gt; go");
  expect(readFileSync(join(dir, "interop.md"), "utf8")).toMatch(/## Performance \(npm run perf\)[\s\S]*\| ts -> go \|/);
}, 200_000);

test("a bad flag is one line and exit 2", async () => {
  const r = await execa(join(ROOT, "node_modules/.bin/tsx"), ["scripts/perf.ts", "--server", "nope"], { cwd: ROOT, reject: false });
  expect(r.exitCode).toBe(2);
  expect(r.stderr.trim()).toBe('error: unknown --server "nope": choose from ts, go, python, python-aio');
});
