// The end of a matrix run, for both runners (the CLI's and vitest's reporter): write the reports,
// print the grid, the totals and the failures, and close with the plain line
// "N passed, N failed" that CI logs and the tests read.
import type { CellRecord } from "./cell-record.js";
import { renderFailures, renderGrids } from "./grid.js";
import type { RunInfo } from "./repro.js";
import { renderTotals } from "./summary.js";
import { buildRunReport, reportsDirFor, writeReports } from "./write.js";

export interface RunCounts {
  passed: number;
  failed: number;
  skipped: number;
}

export function printRunEnd(cells: CellRecord[], run: RunInfo, counts: RunCounts, log: (line: string) => void = console.log): void {
  if (cells.length > 0) {
    const report = buildRunReport(cells, run);
    const written = writeReports(reportsDirFor(run), report);
    log(`\nInterop matrix (${run.runtime} runtime${run.shard ? `, ${run.shard}` : ""})\n`);
    log(renderGrids(report.cells));
    log(renderTotals(report.totals) + "\n");
    const problems = renderFailures(report.cells);
    if (problems) log(problems + "\n");
    const known = cells.filter((c) => c.status === "known-failing").length;
    if (known) log(`${known} known-failing (listed in fixtures/known-failing.json, not counted below)`);
    const retried = cells.filter((c) => c.retried).length;
    if (retried) log(`${retried} known-flaky cell(s) failed once and were retried (fixtures/known-flaky.json)`);
    const noted = cells.filter((c) => c.notes?.length).length;
    if (noted) log(`${noted} cell(s) carry notes (not failures, e.g. metadata folded as the spec permits): see the Notes of reports/interop.md`);
    log(`reports: ${written.join(", ")}`);
  }
  log(`${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ""}`);
}

/** Passed, failed and skipped over cell records (a known-failing cell counts as neither). */
export function countCells(cells: CellRecord[]): RunCounts {
  return {
    passed: cells.filter((c) => c.status === "passed").length,
    failed: cells.filter((c) => c.status === "failed").length,
    skipped: cells.filter((c) => c.status === "skipped").length,
  };
}
