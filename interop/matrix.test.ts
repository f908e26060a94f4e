// The interop matrix as vitest tests: one test per cell, named "client -> server | case".
// Servers start once in beforeAll and are shared by every cell. The session gives each cell its
// verdict with the known-failing and known-flaky entries applied (interop/known.ts): a cell that
// fails exactly as its entry documents passes as "known-failing"; anything else that is not a
// plain pass (a different failure, a stale entry) fails the test.
import { afterAll, beforeAll, describe, test } from "vitest";
import { runConfigFromEnv } from "./run-config.js";
import { MatrixSession } from "./session.js";
import { cellMeta, withOutcome } from "./run-matrix.js";

const config = runConfigFromEnv();
const session = await MatrixSession.create(config.filters, config.runtime, { serverAddr: config.serverAddr, shard: config.shard });

beforeAll(async () => {
  await session.startServers();
  void session.startBatches(); // every pair's driver starts now; each test awaits its own line
}, session.settings.serverStartTimeoutMs + 5000);
afterAll(() => session.close(), 30_000);

describe.concurrent(`interop matrix (${session.runtime.kind})`, () => {
  for (const cell of session.cells) {
    test(
      cell.id,
      async ({ task }) => {
        // Set before running, so a cell that times out still shows up in the reports.
        const meta = cellMeta(session, cell, config);
        task.meta.cell = meta;
        const outcome = await session.runCell(cell);
        withOutcome(meta, outcome);
        if (outcome.status === "failed") throw new Error(outcome.error);
      },
      // A backstop only: the batch watchdog bounds each case by its own limit (caseLimitMs).
      session.runLimitMs(),
    );
  }
});
