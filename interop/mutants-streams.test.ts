// The streams category (fixtures/cases/streams.json) catches a server that gets one streaming
// behaviour wrong: each mutant is the real TS server with one thing broken, run by every client
// driver over the cases around it. Exactly the cases that cover the break must fail, for every
// client, with a message naming the difference.
import type { ServerDuplexStream, ServerReadableStream, ServerUnaryCall, ServerWritableStream } from "@grpc/grpc-js";
import type { EchoRequest, EchoResponse, InteropTestServer, StreamInputSummary, StreamOutputRequest } from "../gen/ts/interop_test.js";
import { interopService } from "../ts-server/interop-service.js";
import type { StartOptions } from "../ts-server/server.js";
import { describeServerMutants, type ServerMutant } from "./mutants/server-mutants.js";

const interop = (patch: (base: InteropTestServer) => Partial<InteropTestServer>): StartOptions["implementations"] => {
  const base = interopService();
  return { interop: { ...base, ...patch(base) } as InteropTestServer };
};

/** The call, with every request it streams in rewritten by f before the handler sees it. */
function mapRequests<C extends { on: (...a: never[]) => unknown }>(call: C, f: (r: EchoRequest) => EchoRequest): C {
  const on = (call.on as (ev: string, fn: (...a: unknown[]) => void) => unknown).bind(call);
  return Object.assign(call, { on: (ev: string, fn: (...a: unknown[]) => void) => on(ev, ev === "data" ? (r: unknown) => fn(f(r as EchoRequest)) : fn) });
}


const MUTANTS: Record<string, ServerMutant> = {
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

describeServerMutants("a streaming bug in the TS server fails exactly the streams cells that cover it", MUTANTS, 90_000);
