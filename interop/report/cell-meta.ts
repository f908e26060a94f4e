// What each matrix test attaches to itself (vitest task meta) for the reporter to read.
import type { Pattern } from "../contract.js";

export interface CellMeta {
  runtime: string;
  /** Set when the run tested an already running server (--server-addr); then server is that address. */
  serverAddr?: string;
  /** Set when the run was one shard of the matrix (--shard i/n): "shard-i-of-n". */
  shard?: string;
  /** The cell's place in the whole plan: a merged report lists cells as one run would. */
  seq: number;
  client: string;
  server: string;
  pattern: Pattern;
  case: string;
  category: string;
  durationMs: number;
  error?: string;
  knownFailingReason?: string;
  /** A known-flaky cell that failed once and was run again: why, and the first failure. */
  retried?: string;
}

declare module "vitest" {
  interface TaskMeta {
    cell?: CellMeta;
  }
}
