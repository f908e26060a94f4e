// Lifecycle checks that every runtime must pass alike (process.test.ts, container.test.ts).
import { expect } from "vitest";
import type { MatrixSession } from "../session.js";

/** The cases a crash check runs, in file order: the go client is inside the 1 s deadline case when the go server dies. */
export const CRASH_CHECK_CASES = ["deadline-unary", "empty-unary"];

/**
 * With the session's servers started (cells from CRASH_CHECK_CASES): the pair batches start, and
 * `kill` SIGKILLs the go server while the client is inside its first case. Every cell to the go
 * server then fails naming the crash, while the cells to the other servers pass.
 */
export async function checkGoServerCrashMidRun(session: MatrixSession, kill: () => Promise<void>): Promise<void> {
  void session.startBatches();
  await new Promise((r) => setTimeout(r, 400));
  await kill();
  const toGo = await Promise.all(session.cells.filter((c) => c.server === "go").map((c) => session.runCell(c)));
  for (const outcome of toGo) {
    expect(outcome.status).toBe("failed");
    expect(outcome.error).toMatch(/go server exited \(SIGKILL\)/);
  }
  const others = await Promise.all(session.cells.filter((c) => c.server !== "go").map((c) => session.runCell(c)));
  expect(others.map((o) => o.status)).toEqual(others.map(() => "passed"));
}
