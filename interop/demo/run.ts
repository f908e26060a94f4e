// Runs the article's demo for client x server pairs: each server starts once (through the
// ProcessRuntime, so start timeouts and cleanup are the matrix's), then each demo client runs
// its four sections against it, and its lines are passed on as they arrive, with their times.
import { execa } from "execa";
import { loadSettings } from "../fixtures.js";
import { ROOT } from "../paths.js";
import { DEMO_CLIENT_COMMANDS, type ClientName, type ServerName } from "../peers.js";
import { PEER_ENV, ProcessRuntime } from "../runtime/process.js";
import { lastLine } from "../runtime/types.js";
import type { TranscriptLine } from "./transcript.js";

/** The article's server sleeps 500 ms between stock replies. */
export const ARTICLE_TICK_MS = 500;
/** A demo client's whole run (four sections, ~4 s at the article's timing) may take this long. */
const CLIENT_TIMEOUT_MS = 30_000;

export interface DemoPair {
  server: ServerName;
  client: ClientName;
}

export interface DemoResult extends DemoPair {
  address: string;
  lines: TranscriptLine[];
  /** Why the demo did not complete (server did not start, client failed); undefined when it did. */
  error?: string;
}

export interface DemoOptions {
  tickMs: number;
  runtime?: ProcessRuntime;
  /** Called before each pair's client starts (e.g. to print a header). */
  onStart?: (pair: DemoPair, address: string) => void;
  /** Called with each transcript line as it arrives. */
  onLine?: (line: TranscriptLine) => void;
  /** Called when a pair is done. */
  onEnd?: (result: DemoResult) => void;
}

export async function runDemos(pairs: DemoPair[], options: DemoOptions): Promise<DemoResult[]> {
  const runtime = options.runtime ?? new ProcessRuntime();
  const settings = loadSettings();
  const results: DemoResult[] = [];
  try {
    for (const server of [...new Set(pairs.map((p) => p.server))]) {
      const clients = pairs.filter((p) => p.server === server).map((p) => p.client);
      let handle;
      try {
        handle = await runtime.startServer(server, { tickMs: options.tickMs, startTimeoutMs: settings.serverStartTimeoutMs });
      } catch (err) {
        for (const client of clients) {
          const result = { server, client, address: "", lines: [], error: (err as Error).message };
          results.push(result);
          options.onEnd?.(result);
        }
        continue;
      }
      try {
        for (const client of clients) {
          options.onStart?.({ server, client }, handle.address);
          const result = { server, client, ...(await runDemoClient(client, handle.address, options.onLine)) };
          results.push(result);
          options.onEnd?.(result);
        }
      } finally {
        await handle.stop();
      }
    }
  } finally {
    if (!options.runtime) await runtime.close();
  }
  return results;
}

/** One demo client against address; never longer than CLIENT_TIMEOUT_MS. */
async function runDemoClient(client: ClientName, address: string, onLine?: (line: TranscriptLine) => void) {
  const cmd = DEMO_CLIENT_COMMANDS[client];
  const start = performance.now();
  const child = execa(cmd.file, [...cmd.args, "--addr", address], {
    cwd: ROOT, env: PEER_ENV, stdin: "ignore", reject: false, cleanup: true, timeout: CLIENT_TIMEOUT_MS, killSignal: "SIGKILL",
  });
  const lines: TranscriptLine[] = [];
  let pending = "";
  child.stdout?.on("data", (d: Buffer) => {
    // Stamp each line when it arrives: the stock lines' spacing is part of the demo.
    const atMs = performance.now() - start;
    const parts = (pending + d.toString()).split("\n");
    pending = parts.pop()!;
    for (const text of parts) {
      const line = { atMs, text };
      lines.push(line);
      onLine?.(line);
    }
  });
  const r = await child;
  if (pending) lines.push({ atMs: performance.now() - start, text: pending });
  const error = r.timedOut
    ? `${client} demo client did not finish within ${CLIENT_TIMEOUT_MS} ms and was killed`
    : r.exitCode !== 0
      ? `${client} demo client failed (${r.signal ?? `exit ${r.exitCode}`}): ${lastLine(String(r.stderr))}`
      : undefined;
  return { address, lines, error };
}
