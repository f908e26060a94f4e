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
  retried?: string;
  /** The cell's place in the whole plan (reports list cells in this order, merged or not). */
  seq?: number;
}

/** vitest's verdict plus the cell's meta gives the cell's status (test.fails inverts pass/fail). */
export function toCellRecord(meta: CellMeta, vitestState: string, vitestError?: string): CellRecord {
  const { runtime: _runtime, serverAddr: _serverAddr, shard: _shard, ...base } = meta;
  const error = meta.error ?? vitestError;
  if (vitestState === "skipped" || vitestState === "pending") return { ...base, status: "skipped" };
  if (meta.knownFailingReason) {
    return vitestState === "passed"
      ? { ...base, status: "known-failing", error }
      : {
          ...base,
          status: "failed",
          error: `listed as known-failing ("${meta.knownFailingReason}") but it passed: remove its entry from fixtures/known-failing.json`,
        };
  }
  return vitestState === "passed" ? { ...base, status: "passed", error: undefined } : { ...base, status: "failed", error };
}
