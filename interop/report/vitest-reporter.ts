// The vitest reporter behind `npm test`: collects every matrix cell's verdict and ends the run as
// `npm run interop` does (print-run.ts: the reports, the grid, the failures, and the plain line
// "N passed, N failed", here over every test that ran). With the option { progress: true } it
// also shows a live progress line while cells run.
import type { Reporter, TestCase, TestModule } from "vitest/node";
import { toCellRecord, type CellRecord } from "./cell-record.js";
import { relative } from "node:path";
import { runConfigFromEnv } from "../run-config.js";
import { shardName } from "../shard.js";
import { removeReports } from "./files.js";
import { Progress } from "./progress.js";
import type { RunInfo } from "./repro.js";
import { printRunEnd } from "./print-run.js";
import { reportsDirFor } from "./write.js";

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
    printRunEnd(cells, run, { passed, failed, skipped });
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
