// Verdicts that cannot lie, proved with deliberately broken peers:
// - broken TS clients (interop/mutants/ts-client-mutant.ts) against the Go reference server fail
//   exactly the cells that cover the break, and the cause is named where it lies (the client);
// - cross-talk under concurrency: a TS server that answers concurrent calls with another call's
//   reply fails the distinct-request concurrency case, for every client;
// - metadata under known-failing entries: a TS server that drops trailing metadata fails its
//   metadata cells, with the project's lists and with an entry that documents another difference;
//   an entry whose cell passes fails the run.
import type { ServerDuplexStream, ServerUnaryCall, sendUnaryData } from "@grpc/grpc-js";
import { afterAll, describe, expect, test } from "vitest";
import type { EchoRequest, EchoResponse, InteropTestServer } from "../gen/ts/interop_test.js";
import { interopService } from "../ts-server/interop-service.js";
import { startTsServer, type RunningTsServer } from "../ts-server/server.js";
import type { KnownEntry } from "./known.js";
import { mapLimit } from "./limit.js";
import { CLIENT_MUTANTS } from "./mutants/ts-client-mutant.js";
import { ServingRuntime } from "./mutants/serving-runtime.js";
import { ROOT } from "./paths.js";
import { peerRegistry } from "./config/registry.js";
import { emptyFilters, type Filters } from "./plan.js";
import { ProcessRuntime } from "./runtime/process.js";
import type { PeerRuntime } from "./runtime/types.js";
import { MatrixSession, type CellOutcome, type SessionOptions } from "./session.js";

async function runCells(filters: Partial<Filters>, options: SessionOptions & { runtime: PeerRuntime }) {
  const session = await MatrixSession.create({ ...emptyFilters(), ...filters }, "process", options);
  try {
    await session.startServers();
    const outcomes = await mapLimit(session.cells, session.settings.concurrency, async (cell) => ({ cell, outcome: await session.runCell(cell) }));
    for (const { outcome } of outcomes) {
      expect(`${outcome.error ?? ""}\n${(outcome.notes ?? []).join("\n")}`).not.toContain("[object Object]");
    }
    return outcomes;
  } finally {
    await session.close();
  }
}

const byCase = (outcomes: { cell: { case: { name: string } }; outcome: CellOutcome }[]) =>
  Object.fromEntries(outcomes.map(({ cell, outcome }) => [cell.case.name, outcome]));

describe("a broken TS client fails exactly the cells that cover the break, and is named as the cause", () => {
  const CASES = ["unary", "client-streaming", "bidi", "metadata-unary", "metadata-bidi", "deadline-unary"];
  const expected: Record<keyof typeof CLIENT_MUTANTS, Record<string, RegExp[]>> = {
    "does not wait between sends": {
      "client-streaming": [/^client: sent request\[1\] \d+\.\d ms after request\[0\], expected a pause of 10 ms \(sendIntervalMs\): the client did not wait between sends$/m],
      bidi: [/^client: sent request\[1\] .* the client did not wait between sends$/m, /^interleaving: not judged: the client did not send its requests as the case asks/m],
    },
    "drops the last request": {
      "client-streaming": [/^reply\[0\]\.count: expected 3, got 2$/m, /^client: sent 2 of the case's 3 requests before it half-closed/m],
      bidi: [/^reply count: expected 3, got 2$/m, /^client: sent 2 of the case's 3 requests/m],
      "metadata-bidi": [/^reply count: expected 2, got 1$/m, /^client: sent 1 of the case's 2 requests/m],
    },
    "sends each metadata key once": {
      "metadata-unary": [/^header x-initial-ascii: expected \["first","second"\], got \["first"\]$/m, /^trailer x-trailing-data-bin: expected \["\/wD\/","AQID"\], got \["\/wD\/"\]$/m],
      "metadata-bidi": [/^header x-initial-data-bin: expected \["AAEC\/f4=","3q2\+7w=="\], got \["AAEC\/f4="\]$/m],
    },
    "ignores the deadline": {
      // ts -> go deadline cells are known-flaky for CANCELLED only: an OK is another failure, not retried.
      "deadline-unary": [/^failed, but not as its known-flaky entry documents/, /^ {2}status: expected DEADLINE_EXCEEDED, got OK$/m],
    },
    "loses trailing metadata": {
      "metadata-unary": [/^trailer x-trailing-ascii: expected \["third","fourth"\], got nothing$/m, /^trailer x-trailing-data-bin: expected .*, got nothing$/m],
      "metadata-bidi": [/^trailer x-trailing-ascii: expected \["third","fourth"\], got nothing$/m],
    },
  };

  for (const [name, fails] of Object.entries(expected)) {
    test(name, async () => {
      const real = peerRegistry().processCommands().client.ts;
      const mutant = { ...real, args: ["--import", "tsx", `${ROOT}/interop/mutants/ts-client-mutant.ts`, name] };
      const runtime = new ProcessRuntime({ server: peerRegistry().processCommands().server, client: { ts: mutant } });
      const outcomes = byCase(await runCells({ client: ["ts"], server: ["go"], case: CASES }, { runtime }));
      const failed = Object.keys(outcomes).filter((c) => outcomes[c].status !== "passed").sort();
      const report = Object.entries(outcomes).map(([c, o]) => `${c}: ${o.status}\n${o.error ?? ""}`).join("\n");
      expect(failed, report).toEqual(Object.keys(fails).sort());
      for (const [c, patterns] of Object.entries(fails)) {
        expect(outcomes[c].status, c).toBe("failed");
        for (const p of patterns) expect(outcomes[c].error, c).toMatch(p);
        // The cause is the client's: no line blames the server for what the client did.
        expect(outcomes[c].error, c).not.toMatch(/server held/);
      }
    }, 60_000);
  }
});

describe("metadata under known-failing entries", () => {
  /** The real InteropTest, except that request metadata matching `drop` is not echoed. */
  const dropping = (drop: (key: string) => boolean): InteropTestServer => {
    const base = interopService();
    const strip = <T extends { metadata: { getMap(): object; remove(k: string): void } }>(call: T) => {
      for (const key of Object.keys(call.metadata.getMap())) if (drop(key)) call.metadata.remove(key);
      return call;
    };
    return {
      ...base,
      echo: (call: ServerUnaryCall<EchoRequest, EchoResponse>, cb: sendUnaryData<EchoResponse>) => base.echo(strip(call), cb),
      fullDuplex: (call: ServerDuplexStream<EchoRequest, EchoResponse>) => base.fullDuplex(strip(call)),
    };
  };
  const servers: RunningTsServer[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.server.forceShutdown())));
  const tsServer = async (interop?: InteropTestServer) => {
    const running = await startTsServer({ tickMs: 50, log: () => {}, implementations: interop ? { interop } : {} });
    servers.push(running);
    return new ServingRuntime("ts", running);
  };
  const metadataCells = { server: ["ts"], case: ["metadata-*"] };
  // An entry documenting that the binary trailers are lost (as a pinned difference must be written).
  const binTrailersLost: KnownEntry = {
    client: "*", server: "ts", case: "metadata-*", reason: "test: the binary trailers are lost",
    difference: ["^trailer x-trailing-data-bin: expected \\[\"/wD/\",\"AQID\"\\], got nothing$"], source: "test entry",
  };

  test("with the project's lists, a TS server that drops trailing metadata fails every metadata cell, for every client", async () => {
    const outcomes = await runCells(metadataCells, { runtime: await tsServer(dropping((k) => k.startsWith("x-trailing-"))) });
    expect(outcomes.length).toBe(6);
    for (const { cell, outcome } of outcomes) {
      expect(outcome.status, cell.id).toBe("failed");
      expect(outcome.error, cell.id).toMatch(/^trailer x-trailing-ascii: expected \["third","fourth"\], got nothing$/m);
    }
  }, 60_000);

  test("a cell that fails exactly as its entry documents is known-failing", async () => {
    const outcomes = await runCells(metadataCells, { runtime: await tsServer(dropping((k) => k === "x-trailing-data-bin")), known: { failing: [binTrailersLost] } });
    for (const { cell, outcome } of outcomes) expect({ id: cell.id, status: outcome.status, reason: outcome.knownFailingReason }).toEqual({ id: cell.id, status: "known-failing", reason: binTrailersLost.reason });
  }, 60_000);

  test("a listed cell that fails another way as well is a failure showing the documented and the actual difference", async () => {
    const outcomes = await runCells(metadataCells, { runtime: await tsServer(dropping((k) => k.startsWith("x-trailing-"))), known: { failing: [binTrailersLost] } });
    for (const { cell, outcome } of outcomes) {
      expect(outcome.status, cell.id).toBe("failed");
      expect(outcome.error, cell.id).toMatch(/^failed, but not as its known-failing entry documents \(test entry: test: the binary trailers are lost\)$/m);
      expect(outcome.error, cell.id).toContain(`documented difference: /${binTrailersLost.difference[0]}/`);
      expect(outcome.error, cell.id).toMatch(/^ {2}trailer x-trailing-ascii: expected \["third","fourth"\], got nothing$/m);
      expect(outcome.documentedDifference).toEqual(binTrailersLost.difference);
    }
  }, 60_000);

  test("a listed cell that passes fails the run: the entry is stale", async () => {
    const outcomes = await runCells(metadataCells, { runtime: await tsServer(), known: { failing: [binTrailersLost] } });
    for (const { cell, outcome } of outcomes) {
      expect(outcome.status, cell.id).toBe("failed");
      expect(outcome.error, cell.id).toMatch(/^listed as known-failing \(test: the binary trailers are lost\) but it passed: remove its entry from test entry/);
    }
  }, 60_000);

  test("a TS server that folds ASCII values (grpc-js) passes the metadata cells, with a note naming the fold", async () => {
    const outcomes = await runCells({ ...metadataCells, client: ["go"] }, { runtime: await tsServer() });
    for (const { cell, outcome } of outcomes) {
      expect(outcome.status, cell.id).toBe("passed");
      expect(outcome.notes, cell.id).toContain(
        'header x-initial-ascii: arrived folded as ["first, second"], expected ["first","second"]: equal once split on "," (spec-permitted: HTTP/2 lets a receiver join repeated values)',
      );
    }
  }, 60_000);
});

describe("cross-talk under concurrency", () => {
  /** The real InteropTest, except that Echo calls in flight together are answered with each other's replies. */
  const crossTalk = (): InteropTestServer => {
    const base = interopService();
    let batch: { call: ServerUnaryCall<EchoRequest, EchoResponse>; cb: sendUnaryData<EchoResponse> }[] = [];
    return {
      ...base,
      echo(call: ServerUnaryCall<EchoRequest, EchoResponse>, cb: sendUnaryData<EchoResponse>) {
        if (batch.push({ call, cb }) > 1) return;
        setTimeout(() => {
          const calls = batch;
          batch = [];
          // A call alone is served as usual, so every sequential case passes; call i of several gets call i+1's reply.
          if (calls.length === 1) return void base.echo(calls[0].call, calls[0].cb);
          calls.forEach(({ cb: answer }, i) => {
            const other = calls[(i + 1) % calls.length].call.request;
            answer(null, { payload: other.payload, index: other.index });
          });
        }, 10);
      },
    };
  };
  const servers: RunningTsServer[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.server.forceShutdown())));
  const serving = async (interop?: InteropTestServer) => {
    const running = await startTsServer({ tickMs: 50, log: () => {}, implementations: interop ? { interop } : {} });
    servers.push(running);
    return new ServingRuntime("ts", running);
  };
  const cells = { server: ["ts"], case: ["concurrent-*", "unary", "metadata-unary"] };

  test("a server that swaps the replies of concurrent calls fails the distinct-request case, for every client; identical requests cannot show it", async () => {
    const outcomes = await runCells(cells, { runtime: await serving(crossTalk()) });
    const failed = outcomes.filter((o) => o.outcome.status !== "passed");
    expect(failed.map((o) => o.cell.id).sort(), failed.map((o) => `${o.cell.id}: ${o.outcome.error}`).join("\n")).toEqual(
      ["go", "python", "ts"].map((c) => `${c} -> ts | concurrent-distinct-unary`).sort(),
    );
    for (const { cell, outcome } of failed) expect(outcome.error, cell.id).toMatch(/^order: expected reply\[(\d+)\]\.index to be \1, got "?\d+"?$/m);
  }, 60_000);

  test("the real TS server passes the same cells (replies listed in call order by every driver)", async () => {
    const outcomes = await runCells(cells, { runtime: await serving() });
    expect(outcomes.filter((o) => o.outcome.status !== "passed").map((o) => `${o.cell.id}: ${o.outcome.error}`)).toEqual([]);
  }, 60_000);
});
