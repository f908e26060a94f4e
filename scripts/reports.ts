// `npm run reports -- merge DIR... [--out DIR]`: merges the reports of a sharded run
// (npm run interop -- --shard i/n) into the same interop.json, junit.xml, interop.md and
// index.html a single run writes. Exits 1 if any merged cell failed, like the run itself.
import { resolve } from "node:path";
import { parseCommandLine } from "../interop/args.js";
import { UsageError } from "../interop/errors.js";
import { mergeReports } from "../interop/report/merge.js";
import { renderTotals } from "../interop/report/summary.js";
import { reportsDirFor, writeReports } from "../interop/report/write.js";
import { main } from "./prepare.js";

const USAGE = `usage: npm run reports -- merge DIR... [--out DIR]
Merges the shard folders that \`npm run interop -- --shard i/n\` wrote (reports/shard-i-of-n) into
one set of reports, in --out (default: reports/, or $INTEROP_REPORTS_DIR).`;

async function reports(): Promise<void> {
  const { values, positionals } = parseCommandLine(
    { args: process.argv.slice(2), allowPositionals: true, options: { out: { type: "string" }, help: { type: "boolean", default: false } } },
    USAGE,
  );
  const [verb, ...dirs] = positionals;
  if (verb !== "merge") throw new UsageError(`unknown command "${verb ?? ""}": the only one is \`npm run reports -- merge DIR...\``);
  const report = mergeReports(dirs.map((d) => resolve(d)));
  const written = writeReports(values.out ? resolve(values.out) : reportsDirFor({ runtime: report.runtime }), report);
  console.log(renderTotals(report.totals));
  console.log(`merged ${dirs.length} shard(s), ${report.cells.length} cells: ${written.join(", ")}`);
  const failed = report.cells.filter((c) => c.status === "failed").length;
  const passed = report.cells.filter((c) => c.status === "passed").length;
  console.log(`${passed} passed, ${failed} failed`);
  if (failed) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) await main(reports);
