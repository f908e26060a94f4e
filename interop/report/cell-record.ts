// A cell's final verdict, as written to reports/interop.json and shown in the grid.
import type { CellMeta } from "./cell-meta.js";

export type CellStatus = "passed" | "failed" | "known-failing" | "skipped";

export interface CellRecord {
  client: string;
  server: string;
  pattern: string;
  case: string;
  category: string;
  status: CellStatus;
  durationMs: number;
  error?: string;
  knownFailingReason?: string;
  /** The difference its known-failing/flaky entry documents (regexes), when it did not simply pass. */
  documentedDifference?: string[];
  retried?: string;
  /** Notes on a cell that are not failures, e.g. spec-permitted folded metadata. */
  notes?: string[];
  /** The cell's place in the whole plan (reports list cells in this order, merged or not). */
  seq?: number;
}

/**
 * vitest's verdict plus the cell's meta gives the cell's status: a cell the session judged
 * known-failing passes its test and carries the entry's reason.
 */
export function toCellRecord(meta: CellMeta, vitestState: string, vitestError?: string): CellRecord {
  const { runtime: _runtime, serverAddr: _serverAddr, shard: _shard, ...base } = meta;
  const error = meta.error ?? vitestError;
  if (vitestState === "skipped" || vitestState === "pending") return { ...base, status: "skipped" };
  if (vitestState === "passed") return meta.knownFailingReason ? { ...base, status: "known-failing", error } : { ...base, status: "passed", error: undefined };
  return { ...base, status: "failed", knownFailingReason: undefined, error };
}
