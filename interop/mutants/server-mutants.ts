// The runner shared by the TS-server mutation tests (mutants-conformance, mutants-streams): a
// deliberately broken TS server must fail exactly the cells of the cases that cover its break,
// for every client, each with the expected difference, and pass every other selected cell.
import { afterAll, describe, expect, test } from "vitest";
import { startTsServer, type RunningTsServer, type StartOptions } from "../../ts-server/server.js";
import { emptyFilters } from "../plan.js";
import { ProcessRuntime } from "../runtime/process.js";
import { MatrixSession } from "../session.js";

export interface ServerMutant {
  options: Omit<StartOptions, "tickMs">;
  /** --case globs: the covering cases and some that must still pass. */
  cases: string[];
  /** The cases that must fail, each with the difference it must show. */
  fails: Record<string, RegExp>;
}

export function describeServerMutants(title: string, mutants: Record<string, ServerMutant>, timeoutMs: number): void {
  const servers: RunningTsServer[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.server.forceShutdown())));
  describe(title, () => {
    for (const [name, mutant] of Object.entries(mutants)) {
      test(name, async () => {
        const running = await startTsServer({ tickMs: 50, log: () => {}, ...mutant.options });
        servers.push(running);
        const session = await MatrixSession.create({ ...emptyFilters(), case: mutant.cases }, "process", { serverAddr: running.address, runtime: new ProcessRuntime() });
        try {
          const outcomes = await Promise.all(session.cells.map(async (cell) => ({ cell, outcome: await session.runCell(cell) })));
          const failed = outcomes.filter((o) => o.outcome.status === "failed");
          const errors = failed.map((f) => `${f.cell.id}: ${f.outcome.error}`).join("\n");
          expect(session.cells.length).toBeGreaterThan(Object.keys(mutant.fails).length); // some cells must still pass
          expect(failed.map((f) => f.cell.id).sort(), errors).toEqual(session.cells.filter((c) => c.case.name in mutant.fails).map((c) => c.id).sort());
          for (const { cell, outcome } of failed) expect(outcome.error, cell.id).toMatch(mutant.fails[cell.case.name]);
        } finally {
          await session.close();
        }
      }, timeoutMs);
    }
  });
}
