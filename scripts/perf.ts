// `npm run perf [-- --client go --server ts ...]`: the performance matrix (interop/perf/). Prints
// the table, writes reports/perf.json and renders interop.md / index.html again with the perf
// section (from reports/interop.json when a matrix run left one). Exits 1 if a cell failed.
import { appendFileSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseCommandLine } from "../interop/args.js";
import { UsageError } from "../interop/errors.js";
import { FIXTURES_DIR } from "../interop/paths.js";
import type { PerfSettings } from "../interop/perf/contract.js";
import { perfMarkdown, renderPerfTable } from "../interop/perf/render.js";
import { ALL, runPerf } from "../interop/perf/run.js";
import { ensurePerfTools } from "../interop/perf/tools.js";
import { reportsDirFor, rewriteReports } from "../interop/report/write.js";
import { main, prepare } from "./prepare.js";

const USAGE = `usage: npm run perf -- [--client ${ALL.clients.join("|")}]... [--server ${ALL.servers.join("|")}]...
Every client language against every reference server, one cell at a time (fixtures/perf.json).`;

function pick(flag: string, given: string[], all: string[]): string[] {
  for (const g of given) if (!all.includes(g)) throw new UsageError(`unknown ${flag} "${g}": choose from ${all.join(", ")}`);
  return given.length ? all.filter((x) => given.includes(x)) : all;
}

async function perf(): Promise<void> {
  const { values } = parseCommandLine(
    { args: process.argv.slice(2), options: { client: { type: "string", multiple: true, default: [] }, server: { type: "string", multiple: true, default: [] }, help: { type: "boolean", default: false } } },
    USAGE,
  );
  const choice = { clients: pick("--client", values.client, ALL.clients), servers: pick("--server", values.server, ALL.servers) };
  const settings = JSON.parse(readFileSync(join(FIXTURES_DIR, "perf.json"), "utf8")) as PerfSettings;
  await prepare();
  const tools = await ensurePerfTools();
  const report = await runPerf(tools, settings, choice);
  console.log(`\nPerformance matrix\n\n${renderPerfTable(report)}\n`);

  const dir = reportsDirFor({ runtime: "process" });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "perf.json"), JSON.stringify(report, null, 2) + "\n");
  const written = rewriteReports(dir);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, perfMarkdown(report) + "\n");
  console.log(`reports: ${join(dir, "perf.json")}, ${written.filter((f) => /\.(md|html)$/.test(f)).join(", ")}`);
  const failed = report.cells.filter((c) => c.error).length;
  console.log(`${report.cells.length - failed} passed, ${failed} failed`);
  if (failed) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) await main(perf);
