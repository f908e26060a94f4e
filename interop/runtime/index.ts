// Picks the runtime for a run: "process" runs every peer as a local process; "container" runs
// the Go and Python peers as containers (the TS peers, the code under test, stay processes);
// "auto" takes containers where a Docker engine answers and processes otherwise.
import { UsageError } from "../errors.js";
import { probeDockerEngine } from "./docker-engine.js";
import { ProcessRuntime } from "./process.js";
import type { PeerRuntime } from "./types.js";

export type RuntimeChoice = "process" | "container" | "auto";
export const RUNTIMES: readonly RuntimeChoice[] = ["process", "container", "auto"];

export interface RuntimeDecision {
  kind: PeerRuntime["kind"];
  /** Why, for the run's first line: "runtime: <kind> (<reason>)". */
  reason: string;
}

export const HOW_TO_START_DOCKER = "start one with `bash scripts/start-docker.sh` (installs docker.io if missing)";

export async function decideRuntime(choice: RuntimeChoice): Promise<RuntimeDecision> {
  if (choice === "process") return { kind: "process", reason: "asked for" };
  const engine = await probeDockerEngine();
  if (choice === "container") {
    if (!engine.answered) throw new UsageError(`--runtime container: no Docker engine answered at ${engine.where} (${engine.problem}): ${HOW_TO_START_DOCKER}`);
    return { kind: "container", reason: `asked for; Docker engine at ${engine.where} answered` };
  }
  return engine.answered
    ? { kind: "container", reason: `auto: Docker engine at ${engine.where} answered` }
    : { kind: "process", reason: `auto: no Docker engine answered at ${engine.where} (${engine.problem})` };
}

export const describeDecision = (d: RuntimeDecision) => `runtime: ${d.kind} (${d.reason})`;

/** imageServers: the run has declared image: servers, which need a container engine in any runtime. */
export async function createRuntime(choice: RuntimeChoice, { imageServers = false } = {}): Promise<PeerRuntime> {
  const decision = await decideRuntime(choice);
  if (decision.kind === "process" && imageServers) {
    const { ContainerRuntime } = await import("./container.js");
    return ContainerRuntime.forImageServers();
  }
  if (decision.kind === "process") return new ProcessRuntime();
  // Loaded only when needed: a process run never touches testcontainers.
  const { ContainerRuntime } = await import("./container.js");
  return ContainerRuntime.create();
}
