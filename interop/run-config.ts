// A run's choices as environment variables: how `npm test`'s matrix (interop/matrix.test.ts, in a
// vitest worker) is given filters and a runtime, and what the CLI's own children inherit.
// Without them (plain `npm test`) the whole matrix runs.
import { UsageError } from "./errors.js";
import { emptyFilters, type Filters } from "./plan.js";
import type { RuntimeChoice } from "./runtime/index.js";
import { parseShard, type Shard } from "./shard.js";

export interface RunConfig {
  filters: Filters;
  runtime: RuntimeChoice;
  /** --server-addr: test this already running server instead of starting the reference ones. */
  serverAddr?: string;
  /** --config: the interop.config.yaml of this run (INTEROP_CONFIG). */
  configFile?: string;
  /** --shard i/n: run only this shard's client -> server pairs. */
  shard?: Shard;
}

export function runConfigToEnv(config: RunConfig): Record<string, string> {
  // An empty INTEROP_SERVER_ADDR (not a missing one) so a value inherited from a parent run is overridden.
  return {
    INTEROP_FILTERS: JSON.stringify(config.filters), INTEROP_RUNTIME: config.runtime, INTEROP_SERVER_ADDR: config.serverAddr ?? "",
    ...(config.configFile ? { INTEROP_CONFIG: config.configFile } : {}),
    INTEROP_SHARD: config.shard ? `${config.shard.index}/${config.shard.total}` : "",
  };
}

export function runConfigFromEnv(env = process.env): RunConfig {
  return {
    filters: env.INTEROP_FILTERS ? { ...emptyFilters(), ...JSON.parse(env.INTEROP_FILTERS) } : emptyFilters(),
    runtime: (env.INTEROP_RUNTIME as RuntimeChoice) || "auto",
    serverAddr: env.INTEROP_SERVER_ADDR || undefined,
    shard: env.INTEROP_SHARD ? parseShard(env.INTEROP_SHARD) : undefined,
  };
}

const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** --server-addr must be host:port (an IPv6 host in brackets), the port 1-65535. */
export function checkServerAddr(value: string): string {
  const m = HOST_PORT.exec(value);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > 65535) {
    throw new UsageError(`invalid --server-addr "${value}": expected host:port, e.g. 127.0.0.1:50051`);
  }
  return value;
}
