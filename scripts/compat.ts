// `npm run compat -- [--base REF] [--repo DIR] [--report FILE] [--config FILE [--allow-uncovered]]`:
// is the working tree's proto/ (or the config's protos:, checked on its declared peers) wire-compatible with the base's? Prints one section per check and a verdict line, writes
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
    ({ values } = parseArgs({ options: { base: { type: "string" }, repo: { type: "string" }, report: { type: "string" }, config: { type: "string" }, "allow-uncovered": { type: "boolean", default: false } } }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}: usage: npm run compat -- [--base REF] [--repo DIR] [--report FILE] [--config FILE [--allow-uncovered]]`);
  }
  const result = await runCompat({ repo: resolve(values.repo ?? ROOT), base: values.base, config: values.config && resolve(values.config), allowUncovered: values["allow-uncovered"] });
  console.log(formatReport(result));
  writeJsonReport(resolve(values.report ?? join(REPORTS_DIR, "compat.json")), result);
  process.exitCode = result.verdict === "COMPATIBLE" ? 0 : 1;
});
