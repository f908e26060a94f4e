// Lifecycle checks that every runtime must pass alike (process.test.ts, container.test.ts).
import { expect } from "vitest";
import type { MatrixSession } from "../session.js";

/**
 * With the session's servers started: a cell to the go server passes; after `kill` SIGKILLs that
 * server, its next cell fails naming the crash, while a cell to the `other` server still passes.
 */
export async function checkGoServerCrashMidRun(session: MatrixSession, other: string, kill: () => Promise<void>): Promise<void> {
  const [toGo, toOther] = ["go", other].map((s) => session.cells.find((c) => c.server === s)!);
  expect(await session.runCell(toGo)).toMatchObject({ status: "passed" });
  await kill();
  await new Promise((r) => setTimeout(r, 300));
  const after = await session.runCell(toGo);
  expect(after.status).toBe("failed");
  expect(after.error).toMatch(/^go server exited \(SIGKILL\)/);
  expect(await session.runCell(toOther)).toMatchObject({ status: "passed" });
}
