// The vitest reporter behind `npm run interop` and `npm test`: collects every matrix cell's
// verdict, writes the reports (one module per format), prints the grid and the failures, and
// closes with the plain line "N passed, N failed" over every test that ran. With the option
// { progress: true } (npm run interop) it also shows a live progress line while cells run.
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Reporter, TestCase, TestModule } from "vitest/node";
import { loadKnownFailing, loadKnownFlaky } from "../fixtures.js";
import { REPORTS_DIR } from "../paths.js";
import { toCellRecord, type CellRecord } from "./cell-record.js";
import { loadConformance, withConformance } from "./conformance.js";
import { renderFailures, renderGrids } from "./grid.js";
import { renderHtml } from "./html.js";
import { renderJunit } from "./junit.js";
import { renderMarkdown } from "./markdown.js";
import { Progress } from "./progress.js";
import type { RunInfo } from "./repro.js";
import { renderTotals, totalsByCategory, type Totals } from "./summary.js";

export interface InteropReporterOptions {
  progress?: boolean;
}

export default class InteropReporter implements Reporter {
  private readonly progress?: Progress;

  constructor(options: InteropReporterOptions = {}) {
    if (options.progress) this.progress = new Progress(process.stdout);
  }

  onTestModuleCollected(mod: TestModule) {
    this.progress?.addCells([...mod.children.allTests()].length);
  }

  onTestCaseResult(test: TestCase) {
    if (!this.progress) return;
    const record = this.record(test);
    this.progress.cellDone(test.name, (record?.status ?? test.result().state) === "failed");
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    this.progress?.finish();
    const cells: CellRecord[] = [];
    let run: RunInfo = { runtime: "process" };
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const record = this.record(test);
        const state = record?.status ?? test.result().state;
        if (state === "passed") passed++;
        if (state === "failed") failed++;
        if (state === "skipped") skipped++;
        if (record) {
          cells.push(record);
          const meta = test.meta().cell!;
          run = { runtime: meta.runtime, serverAddr: meta.serverAddr };
        }
      }
      if (mod.state() === "failed" && mod.errors().length > 0) failed++; // a file that could not even load
    }
    if (cells.length > 0) {
      const totals = totalsByCategory(cells);
      const written = writeReports(cells, run, totals);
      console.log(`\nInterop matrix (${run.runtime} runtime)\n`);
      console.log(renderGrids(cells));
      console.log(renderTotals(totals) + "\n");
      const problems = renderFailures(cells);
      if (problems) console.log(problems + "\n");
      const known = cells.filter((c) => c.status === "known-failing").length;
      if (known) console.log(`${known} known-failing (listed in fixtures/known-failing.json, not counted below)`);
      const retried = cells.filter((c) => c.retried).length;
      if (retried) console.log(`${retried} known-flaky cell(s) failed once and were retried (fixtures/known-flaky.json)`);
      console.log(`reports: ${written.join(", ")}`);
    }
    console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  }

  private record(test: TestCase): CellRecord | undefined {
    const meta = test.meta().cell;
    if (!meta) return undefined;
    const result = test.result();
    const vitestError = result.state === "failed" ? result.errors?.[0]?.message : undefined;
    return toCellRecord(meta, result.state, vitestError);
  }
}

/**
 * Writes every report, with the conformance section if reports/conformance.json exists; returns
 * their paths as a person would type them. `npm run conformance` calls it too (stepSummary off).
 */
export function writeReports(cells: CellRecord[], run: RunInfo, totals: Record<string, Totals>, { stepSummary = true } = {}): string[] {
  mkdirSync(REPORTS_DIR, { recursive: true });
  const markdown = renderMarkdown(cells, run);
  // Both lists go into the report, so a reader sees every excuse the run made.
  const lists = { knownFailing: loadKnownFailing(), knownFlaky: loadKnownFlaky() };
  const json = { runtime: run.runtime, ...(run.serverAddr ? { serverAddr: run.serverAddr } : {}), totals, ...lists, cells };
  const files = withConformance({
    "interop.json": JSON.stringify(json, null, 2) + "\n",
    "junit.xml": renderJunit(cells, run.runtime),
    "interop.md": markdown,
    "index.html": renderHtml(cells, run),
  }, loadConformance());
  for (const [name, text] of Object.entries(files)) writeFileSync(join(REPORTS_DIR, name), text);
  // On GitHub Actions the grid becomes the job's summary page.
  if (stepSummary && process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown + "\n");
  return Object.keys(files).map((name) => relative(process.cwd(), join(REPORTS_DIR, name)) || name);
}
