// Picks the runtime for a run. Containers arrive with the container runtime (issue 3);
// until then "process" is the only choice and "auto" resolves to it.
import { UsageError } from "../errors.js";
import { ProcessRuntime } from "./process.js";
import type { PeerRuntime } from "./types.js";

export type RuntimeChoice = "process" | "container" | "auto";
export const RUNTIMES: readonly RuntimeChoice[] = ["process", "container", "auto"];

export async function createRuntime(choice: RuntimeChoice): Promise<PeerRuntime> {
  if (choice === "container") throw new UsageError("--runtime container is not available yet: use --runtime process");
  return new ProcessRuntime();
}
