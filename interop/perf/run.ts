// `npm run perf`: every client language against every reference server, one cell at a time (so
// cells do not compete for the machine's cores), each cell five short measurements through the
// InteropTest service with a fixed payload. Bounded twice: a cell's driver is killed past
// cellLimitMs, and no cell starts once runLimitMs is spent (those cells say so). Every figure is
// also given as a ratio to go -> go measured in the same run, since absolute times drift.
import { cpus } from "node:os";
import { execa } from "execa";
import { loadSettings } from "../fixtures.js";
import { ROOT } from "../paths.js";
import { CLIENTS, perfCommands } from "../peers.js";
import { ProcessRuntime, PEER_ENV } from "../runtime/process.js";
import type { ServerHandle } from "../runtime/types.js";
import { figure, METRICS, type PerfCell, type PerfFigures, type PerfReport, type PerfSettings } from "./contract.js";
import { ghzUnary } from "./ghz.js";
import type { PerfTools } from "./tools.js";

export async function runPerf(tools: PerfTools, settings: PerfSettings, pick: { clients: string[]; servers: string[] }): Promise<PerfReport> {
  const started = performance.now();
  const runtime = new ProcessRuntime();
  const cells: PerfCell[] = [];
  try {
    for (const server of pick.servers) {
      let handle: ServerHandle | Error;
      try {
        handle = await runtime.startServer(server, { tickMs: 50, startTimeoutMs: loadSettings().serverStartTimeoutMs });
      } catch (e) {
        handle = e as Error;
      }
      for (const client of pick.clients) {
        const base = { client, server, tool: toolOf(client), wallMs: 0, figures: {} };
        if (handle instanceof Error) cells.push({ ...base, error: `${server} server did not start: ${handle.message}` });
        else if (performance.now() - started > settings.runLimitMs) cells.push({ ...base, error: `not run: the run's ${settings.runLimitMs / 1000} s budget was spent` });
        else cells.push(await measure(client, handle, tools, settings));
      }
      if (!(handle instanceof Error)) await handle.stop();
    }
  } finally {
    await runtime.close();
  }
  addRatios(cells);
  const cpu = cpus();
  return { machine: { cpus: cpu.length, model: cpu[0]?.model ?? "unknown", node: process.version }, settings, cells, wallMs: Math.round(performance.now() - started) };
}

const toolOf = (client: string) => (client === "go" ? "ghz (unary) + go-perf (streams)" : `${client}-perf`);

async function measure(client: string, server: ServerHandle, tools: PerfTools, s: PerfSettings): Promise<PerfCell> {
  const start = performance.now();
  const cell: PerfCell = { client, server: server.name, tool: toolOf(client), wallMs: 0, figures: {} };
  try {
    const args = ["--addr", server.address, "--budget-ms", String(s.budgetMs), "--payload", String(s.payloadBytes), "--stream-batch", String(s.streamBatch)];
    let unary: PerfFigures["unary"];
    if (client === "go") {
      unary = {
        c1: await ghzUnary(tools.ghz, tools.protoset, server.address, 1, s.budgetMs, s.payloadBytes),
        c16: await ghzUnary(tools.ghz, tools.protoset, server.address, 16, s.budgetMs, s.payloadBytes),
      };
    }
    const cmd = client === "go" ? { file: tools.goPerf, args: [], env: undefined } : perfCommands()[client as keyof ReturnType<typeof perfCommands>];
    const left = Math.max(1000, s.cellLimitMs - (performance.now() - start));
    const r = await execa(cmd.file, [...cmd.args, ...args], { cwd: ROOT, env: { ...PEER_ENV, ...cmd.env }, reject: false, timeout: left, forceKillAfterDelay: 500 });
    if (r.timedOut) throw new Error(`${client} perf driver was killed after ${Math.round(left)} ms (cell limit ${s.cellLimitMs} ms)`);
    const line = String(r.stdout).trim().split("\n").pop() ?? "";
    let figures: PerfFigures;
    try {
      figures = JSON.parse(line) as PerfFigures;
    } catch {
      throw new Error(`${client} perf driver printed no result (exit ${r.exitCode}): ${String(r.stderr).trim().split("\n").slice(-3).join(" | ")}`);
    }
    cell.figures = unary ? { unary, ...figures } : figures;
    if (figures.error) cell.error = figures.error;
    const unaryErrors = (cell.figures.unary?.c1.errors ?? 0) + (cell.figures.unary?.c16.errors ?? 0);
    if (unaryErrors) cell.error = [cell.error, `${unaryErrors} unary call(s) failed`].filter(Boolean).join("; ");
  } catch (e) {
    cell.error = (e as Error).message;
  }
  cell.wallMs = Math.round(performance.now() - start);
  return cell;
}

/** Every figure over go -> go's, so a reader compares within one run on one machine. */
function addRatios(cells: PerfCell[]) {
  const ref = cells.find((c) => c.client === "go" && c.server === "go" && !c.error);
  if (!ref) return;
  for (const c of cells) {
    c.ratios = {};
    for (const m of METRICS) {
      const mine = figure(c.figures, m.key);
      const theirs = figure(ref.figures, m.key);
      if (mine !== undefined && theirs) c.ratios[m.key] = mine / theirs;
    }
  }
}

// The servers that implement InteropTest (the stubs only replay cases, so they have nothing to measure).
export const ALL = { clients: [...CLIENTS], servers: ["ts", "go", "python", "python-aio"] };
