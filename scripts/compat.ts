// `npm run compat -- [--base REF] [--repo DIR] [--report FILE]`: is the working tree's proto/
// wire-compatible with the base's? Prints one section per check and a verdict line, writes
// reports/compat.json, exits 0 (COMPATIBLE) or 1 (BREAKING); bad input is one `error:` line, exit 2.
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "../interop/errors.js";
import { REPORTS_DIR, ROOT } from "../interop/paths.js";
import { formatReport, writeJsonReport } from "../interop/compat/report.js";
import { runCompat } from "../interop/compat/run.js";
import { main } from "./prepare.js";

await main(async () => {
  let values;
  try {
    ({ values } = parseArgs({ options: { base: { type: "string" }, repo: { type: "string" }, report: { type: "string" } } }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}: usage: npm run compat -- [--base REF] [--repo DIR] [--report FILE]`);
  }
  const result = await runCompat({ repo: resolve(values.repo ?? ROOT), base: values.base });
  console.log(formatReport(result));
  writeJsonReport(resolve(values.report ?? join(REPORTS_DIR, "compat.json")), result);
  process.exitCode = result.verdict === "COMPATIBLE" ? 0 : 1;
});
