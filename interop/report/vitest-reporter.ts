// The vitest reporter behind `npm run interop` and `npm test`: collects every matrix cell's
// verdict, writes the reports (one module per format), prints the grid and the failures, and
// closes with the plain line "N passed, N failed" over every test that ran. With the option
// { progress: true } (npm run interop) it also shows a live progress line while cells run.
import type { Reporter, TestCase, TestModule } from "vitest/node";
import { toCellRecord, type CellRecord } from "./cell-record.js";
import { relative } from "node:path";
import { runConfigFromEnv } from "../run-config.js";
import { shardName } from "../shard.js";
import { removeReports } from "./files.js";
import { renderFailures, renderGrids } from "./grid.js";
import { Progress } from "./progress.js";
import type { RunInfo } from "./repro.js";
import { renderTotals } from "./summary.js";
import { buildRunReport, reportsDirFor, writeReports } from "./write.js";

export interface InteropReporterOptions {
  progress?: boolean;
}

export default class InteropReporter implements Reporter {
  private readonly progress?: Progress;

  constructor(options: InteropReporterOptions = {}) {
    if (options.progress) this.progress = new Progress(process.stdout);
  }

  onInit() {
    // A run that dies before its end must leave no reports of an earlier run to be read as its own.
    const { shard } = runConfigFromEnv();
    removeReports(reportsDirFor({ runtime: "", shard: shard ? shardName(shard) : undefined }));
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
          run = { runtime: meta.runtime, serverAddr: meta.serverAddr, shard: meta.shard };
        }
      }
      if (mod.state() === "failed" && mod.errors().length > 0) {
        // A file that could not even load (a bad fixture, a worker that threw): one error line
        // each, saying what is wrong, rather than a bare "1 failed".
        failed++;
        for (const err of mod.errors()) console.log(`error: ${relative(process.cwd(), mod.moduleId)}: ${errorText(err)}`);
      }
    }
    if (cells.length > 0) {
      const report = buildRunReport(cells, run);
      const { totals } = report;
      const written = writeReports(reportsDirFor(run), report);
      console.log(`\nInterop matrix (${run.runtime} runtime${run.shard ? `, ${run.shard}` : ""})\n`);
      console.log(renderGrids(report.cells));
      console.log(renderTotals(totals) + "\n");
      const problems = renderFailures(report.cells);
      if (problems) console.log(problems + "\n");
      const known = cells.filter((c) => c.status === "known-failing").length;
      if (known) console.log(`${known} known-failing (listed in fixtures/known-failing.json, not counted below)`);
      const retried = cells.filter((c) => c.retried).length;
      if (retried) console.log(`${retried} known-flaky cell(s) failed once and were retried (fixtures/known-flaky.json)`);
      const noted = cells.filter((c) => c.notes?.length).length;
      if (noted) console.log(`${noted} cell(s) carry notes (not failures, e.g. metadata folded as the spec permits): see the Notes of reports/interop.md`);
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

/** The first line of a test error's message; never "[object Object]". */
export function errorText(err: { message?: unknown; name?: unknown } | undefined): string {
  const message = typeof err?.message === "string" && err.message.trim() ? err.message : JSON.stringify(err) ?? String(err);
  return message.split("\n")[0].replace(/^(UsageError|Error): /, "");
}
