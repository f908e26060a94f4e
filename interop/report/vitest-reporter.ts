// The vitest reporter behind `npm run interop` and `npm test`: collects every matrix cell's
// verdict, writes reports/interop.json and reports/junit.xml, prints the grid and the failures,
// and closes with the plain line "N passed, N failed" over every test that ran.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Reporter, TestCase, TestModule } from "vitest/node";
import { loadKnownFailing, loadKnownFlaky } from "../fixtures.js";
import { REPORTS_DIR } from "../paths.js";
import { toCellRecord, type CellRecord } from "./cell-record.js";
import { renderFailures, renderGrids } from "./grid.js";
import { renderJunit } from "./junit.js";
import { renderTotals, totalsByCategory } from "./summary.js";

export default class InteropReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const cells: CellRecord[] = [];
    let runtime = "process";
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
          runtime = test.meta().cell!.runtime;
        }
      }
      if (mod.state() === "failed" && mod.errors().length > 0) failed++; // a file that could not even load
    }
    if (cells.length > 0) {
      mkdirSync(REPORTS_DIR, { recursive: true });
      const totals = totalsByCategory(cells);
      // Both lists go into the report, so a reader sees every excuse the run made.
      const lists = { knownFailing: loadKnownFailing(), knownFlaky: loadKnownFlaky() };
      writeFileSync(join(REPORTS_DIR, "interop.json"), JSON.stringify({ runtime, totals, ...lists, cells }, null, 2) + "\n");
      writeFileSync(join(REPORTS_DIR, "junit.xml"), renderJunit(cells, runtime));
      console.log(`\nInterop matrix (${runtime} runtime)\n`);
      console.log(renderGrids(cells));
      console.log(renderTotals(totals) + "\n");
      const problems = renderFailures(cells);
      if (problems) console.log(problems + "\n");
      const known = cells.filter((c) => c.status === "known-failing").length;
      if (known) console.log(`${known} known-failing (listed in fixtures/known-failing.json, not counted below)`);
      const retried = cells.filter((c) => c.retried).length;
      if (retried) console.log(`${retried} known-flaky cell(s) failed once and were retried (fixtures/known-flaky.json)`);
      console.log(`reports: reports/interop.json, reports/junit.xml`);
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
