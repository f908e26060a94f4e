// Runs connectconformance in one mode against one of our adapters, bounded in time: the runner
// gets its own process group (the adapters it spawns are in it too), and past the limit, or on
// our own Ctrl-C / SIGTERM, the whole group is killed, so nothing is left running.
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "../interop/paths.js";
import type { ConformanceMode } from "../interop/report/conformance.js";
import { RUNNER_BIN } from "./build.js";
import { parseRunnerOutput, readPatterns } from "./results.js";

export type Mode = "server" | "client";
export const MODES: Mode[] = ["server", "client"];

const DIR = join(ROOT, "conformance");
const ADAPTER: Record<Mode, string> = { server: "conformance/server.ts", client: "conformance/client.ts" };
const SUBJECT: Record<Mode, string> = { server: "grpc-js server (conformance/server.ts)", client: "grpc-js client (conformance/client.ts)" };
export const knownFailingFile = (m: Mode) => join(DIR, `known-failing-${m}.txt`);
export const knownFlakyFile = (m: Mode) => join(DIR, `known-flaky-${m}.txt`);

export interface RunOptions {
  timeLimitMs: number;
  /** Extra environment for the runner and the adapters (e.g. CONFORMANCE_MUTANT). */
  env?: Record<string, string>;
  /** --run patterns: only these cases (interactive use and tests). */
  only?: string[];
  /** Another known-failing list than conformance/known-failing-<mode>.txt (the runner takes one). */
  knownFailing?: string;
  /** Where the runner's full output goes. */
  logFile?: string;
}

/** The runner's command line, with the lists that exist, as a person would type it from the repo root. */
export function runnerArgs(mode: Mode, only: string[] = [], knownFailing = knownFailingFile(mode)): string[] {
  const rel = (f: string) => relative(ROOT, f);
  const args = ["--mode", mode, "--conf", "conformance/config.yaml", "--known-failing", `@${rel(knownFailing)}`];
  if (existsSync(knownFlakyFile(mode))) args.push("--known-flaky", `@${rel(knownFlakyFile(mode))}`);
  for (const p of only) args.push("--run", p);
  // --vv prints every case's name, which the reports need (the default output names failures only).
  return [...args, "--vv", "--", "node", "--no-deprecation", "--import", "tsx", ADAPTER[mode]];
}

export async function runMode(mode: Mode, opts: RunOptions): Promise<ConformanceMode> {
  const started = Date.now();
  const child = spawn(RUNNER_BIN, runnerArgs(mode, opts.only, opts.knownFailing), { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...opts.env } });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const killGroup = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      /* already gone */
    }
  };
  let timedOut = false;
  const timer = setTimeout(() => ((timedOut = true), killGroup()), opts.timeLimitMs);
  const onSignal = (sig: NodeJS.Signals) => {
    killGroup();
    process.exit(sig === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const exitCode = await new Promise<number | null>((resolve) => {
    child.on("error", (e) => ((output += `\ncould not start ${RUNNER_BIN}: ${e.message}\n`), resolve(null)));
    child.on("close", (code) => resolve(code));
  });
  clearTimeout(timer);
  killGroup(); // adapters the runner left behind, if any
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  if (opts.logFile) writeFileSync(opts.logFile, output);

  const flaky = existsSync(knownFlakyFile(mode)) ? readPatterns(readFileSync(knownFlakyFile(mode), "utf8")) : [];
  const parsed = parseRunnerOutput(output, flaky);
  const { totals } = parsed;
  // The runner names passes only by its totals at the end: without them, a case with no verdict
  // did not pass, it was never judged.
  const cases = totals && !timedOut ? parsed.cases : parsed.cases.map((c) => (c.status === "passed" ? { ...c, status: "failed" as const, message: "no verdict: the runner did not finish" } : c));
  const count = (s: string) => cases.filter((c) => c.status === s).length;
  const result: ConformanceMode = {
    subject: SUBJECT[mode],
    total: cases.length,
    passed: count("passed"),
    failed: count("failed"),
    knownFailing: count("known-failing"),
    knownFlaky: count("known-flaky"),
    wallMs: Date.now() - started,
    exitCode,
    cases,
  };
  const why = (): string | undefined => {
    if (timedOut) return `the runner did not finish within ${opts.timeLimitMs / 1000} s and was killed`;
    if (!totals) return `no totals in the runner's output (exit ${exitCode}): ${lastLines(output)}`;
    // Our reading of the output must agree with the runner's own totals.
    if (totals.total !== result.total || totals.passed !== result.passed || totals.failed !== result.failed || totals.expectedFailures !== result.knownFailing + result.knownFlaky)
      return `the runner's totals (${JSON.stringify(totals)}) do not match the cases read from its output`;
    if (totals.couldNotRun > 0) return `${totals.couldNotRun} case(s) could not be run (the adapter timed out or exited)`;
    if (exitCode !== 0 && result.failed === 0) return `the runner exited ${exitCode}: ${lastLines(output)}`;
    return undefined;
  };
  const error = why();
  return error ? { ...result, error } : result;
}

const lastLines = (s: string) => s.trim().split("\n").slice(-3).join(" / ");
