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
  /** Set when the cell failed exactly as its known-failing entry documents. */
  knownFailingReason?: string;
  /** The regexes of the entry the cell is listed under, when it did not simply pass. */
  documentedDifference?: string[];
  /** Notes on the cell (e.g. metadata folded as the spec permits); never a failure. */
  notes?: string[];
  /** A known-flaky cell that failed once and was run again: why, and the first failure. */
  retried?: string;
}

declare module "vitest" {
  interface TaskMeta {
    cell?: CellMeta;
  }
}
