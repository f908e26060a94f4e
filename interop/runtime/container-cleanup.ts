// With Ryuk off, removing containers is the harness's job. Every container it starts carries
// the run's id and the pid of the process that started it, so that:
//   - the runtime removes its own on close(), and on SIGINT/SIGTERM (container.ts);
//   - the CLI removes whatever its run left, however the run ended (cli.ts);
//   - the next container run removes containers whose starter no longer exists (SIGKILL).
import { randomUUID } from "node:crypto";
import { getContainerRuntimeClient } from "./testcontainers-offline.js";

export const RUN_LABEL = "grpc-interop.run";
export const OWNER_LABEL = "grpc-interop.owner-pid";

/** The run's id: the CLI's, handed down through the environment, or a fresh one. */
export function runId(env = process.env): string {
  env.INTEROP_RUN_ID ||= randomUUID().slice(0, 8);
  return env.INTEROP_RUN_ID;
}

/** Force-removes containers by id (a running one is killed first); already gone is fine. */
export async function removeContainers(ids: Iterable<string>): Promise<void> {
  const docker = (await getContainerRuntimeClient()).container.dockerode;
  await Promise.allSettled([...ids].map((id) => docker.getContainer(id).remove({ force: true, v: true })));
}

/** Every container of a run, running or not; `also` narrows it by more labels. */
export async function runContainers(id: string, also: Record<string, string> = {}): Promise<string[]> {
  const docker = (await getContainerRuntimeClient()).container.dockerode;
  const label = [`${RUN_LABEL}=${id}`, ...Object.entries(also).map(([k, v]) => `${k}=${v}`)];
  const list = await docker.listContainers({ all: true, filters: { label } });
  return list.map((c) => c.Id);
}

export async function removeRunContainers(id: string): Promise<number> {
  const ids = await runContainers(id);
  await removeContainers(ids);
  return ids.length;
}

/** Containers of earlier runs whose starting process is gone (killed by SIGKILL, say). */
export async function removeOrphans(): Promise<number> {
  const docker = (await getContainerRuntimeClient()).container.dockerode;
  const list = await docker.listContainers({ all: true, filters: { label: [OWNER_LABEL] } });
  const orphans = list.filter((c) => !isAlive(Number(c.Labels[OWNER_LABEL]))).map((c) => c.Id);
  await removeContainers(orphans);
  return orphans.length;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
