// Runs every cell of one client -> server pair through a single driver process: the driver gets
// all the cases in a file and prints one observation line per case as it finishes. Starting a
// driver once per pair instead of once per cell is what keeps ~900 cells within a minute.
//
// A watchdog bounds every case: if the driver prints nothing for longer than the current case's
// limit, it is killed, that cell fails with the reason, and a fresh driver takes the rest.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CaseSpec, Observation } from "./contract.js";
import { stderrTail, type PeerRuntime } from "./runtime/types.js";

export interface BatchItem {
  id: string;
  spec: CaseSpec;
  /** The most this case may take, from the previous line to its own. */
  limitMs: number;
}

/** How long a driver may take to start, on top of its first case's limit. */
export const DRIVER_START_MS = 10_000;

export type BatchResult = { observation: Observation } | { error: string };

export interface BatchTarget {
  runtime: PeerRuntime;
  client: string;
  address: string;
  /** Where to write the cases file (a folder containers can read too). */
  workDir: string;
  /** Why the server is gone, if it is. */
  serverGone: () => string | undefined;
}

let casesFiles = 0;

export async function runBatch(target: BatchTarget, items: BatchItem[], settle: (id: string, result: BatchResult) => void): Promise<void> {
  let remaining = items;
  let attempt = 0;
  while (remaining.length > 0) {
    attempt++;
    // Unique per driver start: a known-flaky retry runs against the same client and address while
    // the pair's first driver may still be reading its own file.
    const file = join(target.workDir, `${target.client}-${safe(target.address)}-${attempt}-${++casesFiles}.json`);
    mkdirSync(target.workDir, { recursive: true });
    writeFileSync(file, JSON.stringify(remaining.map((i) => i.spec)));
    const done = await runOnce(target, remaining, file, settle);
    remaining = remaining.slice(done);
  }
}

/** One driver process over `items`; returns how many items it settled (at least one). */
async function runOnce(target: BatchTarget, items: BatchItem[], file: string, settle: (id: string, result: BatchResult) => void): Promise<number> {
  let next = 0;
  let watchdogFired = false;
  let timer: NodeJS.Timeout | undefined;
  const total = items.reduce((t, i) => t + i.limitMs, 0) + DRIVER_START_MS;
  const handle = target.runtime.runClient(target.client, ["--addr", target.address, "--cases-file", file], {
    timeoutMs: total,
    onLine: (line) => {
      if (next >= items.length) return;
      const item = items[next++];
      try {
        settle(item.id, { observation: JSON.parse(line) as Observation });
      } catch {
        settle(item.id, { error: `${target.client} client driver printed a line that is not JSON: ${JSON.stringify(line.slice(0, 200))}` });
      }
      arm();
    },
  });
  // The first case's limit also covers the driver's own start (a runtime, the contract, generated
  // code to load), which on a busy machine can take seconds the case itself never uses.
  const limitOf = (i: number) => items[i].limitMs + (i === 0 ? DRIVER_START_MS : 0);
  const arm = () => {
    clearTimeout(timer);
    if (next < items.length) {
      timer = setTimeout(() => {
        watchdogFired = true;
        handle.kill();
      }, limitOf(next));
    }
  };
  arm();
  const run = await handle.done;
  clearTimeout(timer);
  if (next < items.length) {
    const item = items[next++];
    const gone = target.serverGone();
    const serverNote = gone ? `; meanwhile ${gone}` : "";
    const why = watchdogFired || run.timedOut
      ? `${target.client} client driver reported nothing for case ${item.spec.name} within ${limitOf(next - 1)} ms and was killed`
      : `${target.client} client driver failed (exit ${run.exitCode}) during case ${item.spec.name}: ${stderrTail(run.stderr)}`;
    settle(item.id, { error: why + serverNote });
  }
  return next;
}

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, "_");
