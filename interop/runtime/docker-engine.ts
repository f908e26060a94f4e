// Does a Docker engine answer? Asked with one GET /_ping (bounded), without loading
// testcontainers, so that `--runtime auto` costs nothing on a machine without Docker.
import { request } from "node:http";

export interface EngineProbe {
  answered: boolean;
  /** Where the engine was looked for, as DOCKER_HOST would say it. */
  where: string;
  /** Why it did not answer (connection error, timeout, bad reply). */
  problem?: string;
}

export const DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";

export function dockerHost(env = process.env): string {
  return env.DOCKER_HOST || DEFAULT_DOCKER_HOST;
}

export async function probeDockerEngine(timeoutMs = 2000, host = dockerHost()): Promise<EngineProbe> {
  let target: { socketPath: string } | { host: string; port: number };
  if (host.startsWith("unix://")) target = { socketPath: host.slice("unix://".length) };
  else if (host.startsWith("tcp://")) {
    const url = new URL(host.replace(/^tcp:/, "http:"));
    target = { host: url.hostname, port: Number(url.port || 2375) };
  } else return { answered: false, where: host, problem: "only unix:// and tcp:// DOCKER_HOST values are supported" };

  return new Promise((resolve) => {
    const req = request({ ...target, path: "/_ping", method: "GET", timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? { answered: true, where: host } : { answered: false, where: host, problem: `/_ping returned HTTP ${res.statusCode}` });
    });
    req.on("timeout", () => req.destroy(new Error(`no reply within ${timeoutMs} ms`)));
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ answered: false, where: host, problem: e.code ?? e.message }));
    req.end();
  });
}
