// The streams category (fixtures/cases/streams.json) catches a server that gets one streaming
// behaviour wrong: each mutant is the real TS server with one thing broken, run by every client
// driver over the cases around it. Exactly the cases that cover the break must fail, for every
// client, with a message naming the difference.
import type { ServerDuplexStream, ServerReadableStream, ServerUnaryCall, ServerWritableStream } from "@grpc/grpc-js";
import { afterAll, describe, expect, test } from "vitest";
import type { EchoRequest, EchoResponse, InteropTestServer, StreamInputSummary, StreamOutputRequest } from "../gen/ts/interop_test.js";
import { interopService } from "../ts-server/interop-service.js";
import { startTsServer, type RunningTsServer, type StartOptions } from "../ts-server/server.js";
import { emptyFilters } from "./plan.js";
import { ProcessRuntime } from "./runtime/process.js";
import { MatrixSession } from "./session.js";

const interop = (patch: (base: InteropTestServer) => Partial<InteropTestServer>): StartOptions["implementations"] => {
  const base = interopService();
  return { interop: { ...base, ...patch(base) } as InteropTestServer };
};

/** The call, with every request it streams in rewritten by f before the handler sees it. */
function mapRequests<C extends { on: (...a: never[]) => unknown }>(call: C, f: (r: EchoRequest) => EchoRequest): C {
  const on = (call.on as (ev: string, fn: (...a: unknown[]) => void) => unknown).bind(call);
  return Object.assign(call, { on: (ev: string, fn: (...a: unknown[]) => void) => on(ev, ev === "data" ? (r: unknown) => fn(f(r as EchoRequest)) : fn) });
}

interface Mutant {
  options: Omit<StartOptions, "tickMs">;
  cases: string[];
  fails: Record<string, RegExp>;
}

const MUTANTS: Record<string, Mutant> = {
  "server stream ends OK instead of its status": {
    options: {
      implementations: interop((base) => ({
        streamOutput: (call: ServerWritableStream<StreamOutputRequest, EchoResponse>) =>
          base.streamOutput(Object.assign(call, { request: { ...call.request, responseStatus: undefined } })),
      })),
    },
    cases: ["stream-server-error-*", "stream-error-duplicate-metadata-server-stream", "stream-cancel-server-stream-after-2-responses"],
    fails: {
      "stream-server-error-after-0": /^status: expected NOT_FOUND, got OK/,
      "stream-server-error-after-3": /^status: expected OUT_OF_RANGE, got OK/,
      "stream-error-duplicate-metadata-server-stream": /^status: expected OUT_OF_RANGE, got OK/,
    },
  },
  "client stream ignores a request's status": {
    options: {
      implementations: interop((base) => ({
        streamInput: (call: ServerReadableStream<EchoRequest, StreamInputSummary>, cb) =>
          base.streamInput(mapRequests(call, (r) => ({ ...r, responseStatus: undefined })), cb),
      })),
    },
    cases: ["stream-client-error-*", "stream-deadline-client-stream"],
    fails: {
      "stream-client-error-after-1": /^status: expected PERMISSION_DENIED, got OK/,
      "stream-client-error-after-3": /^status: expected DATA_LOSS, got OK/,
    },
  },
  "a later oversize request accepted (receive limit 8 MiB)": {
    options: { serverOptions: { "grpc.max_receive_message_length": 8 * 1024 * 1024 } },
    cases: ["stream-limit-*", "stream-bidi-zero-messages"],
    fails: {
      "stream-limit-client-stream-request-over": /^status: expected RESOURCE_EXHAUSTED, got OK/,
      "stream-limit-client-stream-later-request-over": /^status: expected RESOURCE_EXHAUSTED, got OK/,
      "stream-limit-bidi-request-over": /^status: expected RESOURCE_EXHAUSTED, got OK/,
      "stream-limit-bidi-later-request-over": /^status: expected RESOURCE_EXHAUSTED, got OK/,
    },
  },
  "half-duplex replies sent at once": {
    options: {
      implementations: interop((base) => ({
        fullDuplex: (call: ServerDuplexStream<EchoRequest, EchoResponse>) => base.fullDuplex(mapRequests(call, (r) => ({ ...r, holdUntilHalfClose: false }))),
      })),
    },
    cases: ["stream-bidi-*"],
    fails: { "stream-bidi-half-duplex": /^half-duplex: expected every reply after the client half-closed at [\d.]+ ms, got reply\[0\] at/ },
  },
  "status details dropped": {
    options: {
      implementations: interop((base) => ({
        echo: (call: ServerUnaryCall<EchoRequest, EchoResponse>, cb) => base.echo(Object.assign(call, { request: { ...call.request, statusDetails: false } }), cb),
        fullDuplex: (call: ServerDuplexStream<EchoRequest, EchoResponse>) => base.fullDuplex(mapRequests(call, (r) => ({ ...r, statusDetails: false }))),
        streamInput: (call: ServerReadableStream<EchoRequest, StreamInputSummary>, cb) => base.streamInput(mapRequests(call, (r) => ({ ...r, statusDetails: false })), cb),
        streamOutput: (call: ServerWritableStream<StreamOutputRequest, EchoResponse>) =>
          base.streamOutput(Object.assign(call, { request: { ...call.request, statusDetails: false } })),
      })),
    },
    cases: ["stream-error-details-*", "stream-bidi-error-after-2"],
    fails: {
      "stream-error-details-unary": /^status details: expected grpc-status-details-bin carrying .*, got none$/,
      "stream-error-details-bidi": /^status details: expected grpc-status-details-bin carrying .*, got none$/,
      "stream-error-details-client-stream": /^status details: expected grpc-status-details-bin carrying .*, got none$/,
      "stream-error-details-server-stream": /^status details: expected grpc-status-details-bin carrying .*, got none$/,
    },
  },
};

const servers: RunningTsServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.server.forceShutdown())));

describe("a streaming bug in the TS server fails exactly the streams cells that cover it", () => {
  for (const [name, mutant] of Object.entries(MUTANTS)) {
    test(name, async () => {
      const running = await startTsServer({ tickMs: 50, log: () => {}, ...mutant.options });
      servers.push(running);
      const session = await MatrixSession.create({ ...emptyFilters(), case: mutant.cases }, "process", { serverAddr: running.address, runtime: new ProcessRuntime() });
      try {
        const outcomes = await Promise.all(session.cells.map(async (cell) => ({ cell, outcome: await session.runCell(cell) })));
        const failed = outcomes.filter((o) => o.outcome.status === "failed");
        const errors = failed.map((f) => `${f.cell.id}: ${f.outcome.error}`).join("\n");
        expect(session.cells.length).toBeGreaterThan(Object.keys(mutant.fails).length);
        expect(failed.map((f) => f.cell.id).sort(), errors).toEqual(session.cells.filter((c) => c.case.name in mutant.fails).map((c) => c.id).sort());
        for (const { cell, outcome } of failed) expect(outcome.error, cell.id).toMatch(mutant.fails[cell.case.name]);
      } finally {
        await session.close();
      }
    }, 90_000);
  }
});
