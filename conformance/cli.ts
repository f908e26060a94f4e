// `npm run conformance`: connectrpc/conformance's runner (connectconformance, pinned in go.mod)
// against the grpc-js server adapter (--mode server) and the grpc-js client adapter
// (--mode client). Prints "server: N passed, K known-failing of M; client: ...", writes
// reports/conformance.json and the conformance section of the other reports, and exits non-zero
// on any unexpected failure (a failed case, a listed case that passed, a run past its time limit).
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "../interop/errors.js";
import { CONFORMANCE_JSON, modeLine, type ConformanceMode, type ConformanceReport } from "../interop/report/conformance.js";
// rewriteReports renders the reports again from the last matrix run's interop.json (if any), so
// they include the conformance results just written.
import { reportsDirFor, rewriteReports } from "../interop/report/write.js";
import { main } from "../scripts/prepare.js";
import { conformanceVersion, prepareConformance } from "./build.js";
import { MODES, runMode, type Mode } from "./run-mode.js";

const USAGE = "usage: npm run conformance [-- --mode server|client] [--time-limit SECONDS]";

function options(argv: string[]): { modes: Mode[]; timeLimitMs: number } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { mode: { type: "string" }, "time-limit": { type: "string" } }, strict: true, allowPositionals: false });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}; ${USAGE}`);
  }
  const { mode, "time-limit": limit } = parsed.values;
  if (mode !== undefined && !MODES.includes(mode as Mode)) throw new UsageError(`--mode must be server or client, not "${mode}"; ${USAGE}`);
  const seconds = limit === undefined ? Number(process.env.CONFORMANCE_TIME_LIMIT_S ?? 300) : Number(limit);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--time-limit must be a positive number of seconds, not "${limit}"; ${USAGE}`);
  return { modes: mode ? [mode as Mode] : MODES, timeLimitMs: seconds * 1000 };
}

await main(async () => {
  const { modes, timeLimitMs } = options(process.argv.slice(2));
  await prepareConformance();
  const dir = reportsDirFor({ runtime: "process" }); // reports/ or $INTEROP_REPORTS_DIR
  mkdirSync(dir, { recursive: true });
  const report: ConformanceReport = {
    runner: `connectconformance ${await conformanceVersion()} (connectrpc.com/conformance)`,
    command: "npm run conformance",
    finishedAt: "",
    modes: {},
  };
  for (const mode of modes) {
    console.error(`conformance: running connectconformance --mode ${mode} ...`);
    const result: ConformanceMode = await runMode(mode, { timeLimitMs, logFile: join(dir, `conformance-${mode}.log`) });
    report.modes[mode] = result;
    for (const c of result.cases.filter((x) => x.status === "failed")) console.log(`FAILED ${mode}: ${c.name}\n  ${(c.message ?? "").replace(/\n/g, "\n  ")}`);
    if (result.error) console.log(`FAILED ${mode}: ${result.error}`);
  }
  report.finishedAt = new Date().toISOString();
  writeFileSync(join(dir, CONFORMANCE_JSON), JSON.stringify(report, null, 2) + "\n");
  const written = rewriteReports(dir);
  console.log(`reports: ${[relative(process.cwd(), join(dir, CONFORMANCE_JSON)), ...written].join(", ")}; runner output: ${relative(process.cwd(), dir)}/conformance-<mode>.log`);
  console.log(Object.entries(report.modes).map(([m, r]) => modeLine(m, r)).join("; "));
  const bad = Object.values(report.modes).some((m) => m.failed > 0 || m.error !== undefined);
  process.exitCode = bad ? 1 : 0;
});
