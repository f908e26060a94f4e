// What the CLI does around a container run: build the images before the matrix (so their
// set-up lines show and a failed build is one line), give the run an id, and afterwards remove
// whatever the run left behind, however it ended (a crash, SIGKILL, Ctrl-C).
import { execFileSync } from "node:child_process";
import { ensurePeerImages } from "../../scripts/images.js";
import { listProcesses } from "../proc.js";
import { RUN_LABEL, removeRunContainers, runId } from "./container-cleanup.js";

export async function buildImages(): Promise<void> {
  await ensurePeerImages();
}

/** The run's environment (and a vitest worker's, under npm test): its containers carry this run's id. */
export function runEnv(): Record<string, string> {
  return { INTEROP_RUN_ID: runId() };
}

/** After the run: normally there is nothing left, the runtime's close() removed it all. */
export async function removeLeftovers(): Promise<void> {
  const removed = await removeRunContainers(runId()).catch(() => 0);
  if (removed) console.error(`interop: removed ${removed} container(s) the run left behind`);
}

/**
 * On Ctrl-C or SIGTERM, synchronously (the process exits right after): stop this process's
 * children, then remove the run's containers. Twice, because a create request already on its
 * way completes in the engine after the process is gone.
 */
export function removeLeftoversNow(): void {
  for (const { pid } of listProcesses().filter((p) => p.ppid === process.pid)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  for (const pause of [300, 0]) {
    try {
      const ids = execFileSync("docker", ["ps", "-aq", "--filter", `label=${RUN_LABEL}=${runId()}`], { timeout: 10_000 }).toString().split("\n").filter(Boolean);
      if (ids.length) execFileSync("docker", ["rm", "-f", "-v", ...ids], { timeout: 20_000, stdio: "ignore" });
    } catch (e) {
      console.error(`interop: could not remove the run's containers (${(e as Error).message.split("\n")[0]}): docker ps -a --filter label=${RUN_LABEL}=${runId()}`);
    }
    if (pause) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause);
  }
}
