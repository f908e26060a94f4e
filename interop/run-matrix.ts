// The matrix runner behind `npm run interop`: the session's cells run in this process, with no
// test framework in between (vitest's start-up was a second of every run), and the run ends as
// `npm test`'s matrix does (report/print-run.ts). `npm test` runs the same session and the same
// cell verdicts through vitest (matrix.test.ts), so both runners share cellMeta/withOutcome.
import type { Cell } from "./plan.js";
import type { CellMeta } from "./report/cell-meta.js";
import { toCellRecord, type CellRecord } from "./report/cell-record.js";
import type { CellOutcome, MatrixSession } from "./session.js";
import { shardName, type Shard } from "./shard.js";

export interface RunLabels {
  serverAddr?: string;
  shard?: Shard;
}

/** What a cell's record says before it has run: a cell that never settles is still reported. */
export function cellMeta(session: MatrixSession, cell: Cell, run: RunLabels): CellMeta {
  return {
    runtime: session.runtime.kind,
    serverAddr: run.serverAddr,
    shard: run.shard && shardName(run.shard),
    seq: cell.seq,
    client: cell.client,
    server: cell.server,
    pattern: cell.pattern,
    case: cell.case.name,
    category: cell.case.category,
    durationMs: session.caseLimitMs(cell),
  };
}

/** The cell's meta with its outcome: how long it took, why it failed, what it is excused by. */
export function withOutcome(meta: CellMeta, outcome: CellOutcome): CellMeta {
  meta.durationMs = Math.round(outcome.durationMs);
  meta.error = outcome.error;
  meta.retried = outcome.retried;
  meta.notes = outcome.notes;
  meta.knownFailingReason = outcome.knownFailingReason;
  meta.documentedDifference = outcome.documentedDifference;
  return meta;
}

/**
 * Runs every cell of the session and returns their records (plan order is the report's job).
 * Every server starts at once; the session runs `concurrency` pairs at a time, longest first,
 * each once its own server is up; each cell is judged as its observation arrives. A cell that
 * has not settled within the bound on the whole run fails with that reason: the batch watchdog
 * should have ended it long before, so this is a backstop, never the normal path.
 */
export async function runMatrix(session: MatrixSession, run: RunLabels, onCell: (record: CellRecord, cell: Cell) => void = () => {}): Promise<CellRecord[]> {
  try {
    void session.startBatches();
    const limitMs = session.runLimitMs();
    return await Promise.all(
      session.cells.map(async (cell) => {
        const meta = cellMeta(session, cell, run);
        const outcome = await settleWithin(session.runCell(cell), limitMs, `the cell did not settle within ${limitMs} ms (the bound on the whole run)`);
        const record = toCellRecord(withOutcome(meta, outcome), outcome.status === "failed" ? "failed" : "passed");
        onCell(record, cell);
        return record;
      }),
    );
  } finally {
    await session.close();
  }
}

/** The outcome, or a failure if it does not come within `ms`; a harness error is a failed cell, not a crash. */
async function settleWithin(outcome: Promise<CellOutcome>, ms: number, why: string): Promise<CellOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<CellOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ status: "failed", durationMs: ms, error: why }), ms);
    timer.unref();
  });
  try {
    return await Promise.race([outcome.catch((e: Error) => ({ status: "failed" as const, durationMs: 0, error: `harness error: ${e.stack ?? e}` })), late]);
  } finally {
    clearTimeout(timer);
  }
}
