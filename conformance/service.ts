// The suite's ConformanceService on grpc-js, as docs/testing_servers.md of connectrpc/conformance
// asks: echo what was received (headers, timeout, requests as Any) and answer as the request's
// response definition says (headers, data, delay, error with details, trailers).
// Unimplemented and IdempotentUnary (Connect GET only) are left out, so grpc-js answers UNIMPLEMENTED.
import { setTimeout as sleep } from "node:timers/promises";
import {
  Metadata,
  status,
  type sendUnaryData,
  type ServerDuplexStream,
  type ServerReadableStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import type { ConformanceServiceServer, MessageFns } from "../.build/conformance/gen/connectrpc/conformance/v1/service.js";
import {
  BidiStreamRequest,
  ClientStreamRequest,
  ConformancePayload_RequestInfo as RequestInfo,
  ServerStreamRequest,
  UnaryRequest,
  type BidiStreamResponse,
  type ClientStreamResponse,
  type ConformancePayload,
  type Error as ConformanceError,
  type ServerStreamResponse,
  type UnaryResponse,
  type UnaryResponseDefinition,
} from "../.build/conformance/gen/connectrpc/conformance/v1/service.js";
import type { Any } from "../.build/conformance/gen/google/protobuf/any.js";
import { fromMetadata, toMetadata } from "./metadata.js";
import { encodeStatus, STATUS_DETAILS_KEY } from "./status-details.js";

const TYPE_PREFIX = "type.googleapis.com/connectrpc.conformance.v1.";

/** Anything with call metadata and a deadline: every grpc-js server call. */
type AnyCall = { metadata: Metadata; getDeadline(): Date | number };

/** Options that exist so a mutation test can break one behaviour on purpose. */
export interface ServiceOptions {
  /** Drop the response trailers the request asks for (a deliberate defect). */
  dropTrailers?: boolean;
}

function asAny<T>(name: string, fns: MessageFns<T>, msg: T): Any {
  return { typeUrl: TYPE_PREFIX + name, value: Buffer.from(fns.encode(msg).finish()) };
}

/** The request info as grpc-go's reference does it: all headers, the deadline left (ms), the requests. */
function requestInfo(call: AnyCall, requests: Any[]): RequestInfo {
  const deadline = call.getDeadline();
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  const timeoutMs = Number.isFinite(at) ? String(Math.max(0, Math.floor(at - Date.now()))) : undefined;
  return { requestHeaders: fromMetadata(call.metadata), timeoutMs, requests, connectGetInfo: undefined };
}

/** A grpc-js status error carrying the definition's error, with `extra` details, and the trailers. */
function statusError(err: ConformanceError, extra: Any[], trailers: Metadata) {
  const details = [...err.details, ...extra];
  const metadata = trailers.clone();
  metadata.set(STATUS_DETAILS_KEY, encodeStatus({ code: err.code, message: err.message ?? "", details }));
  return { code: err.code as number as status, details: err.message ?? "", metadata };
}

const infoAny = (info: RequestInfo) => asAny("ConformancePayload.RequestInfo", RequestInfo, info);

/** Every method but Unimplemented and IdempotentUnary, keyed as ts-proto's service definition names them. */
type Implemented = Omit<ConformanceServiceServer, "unimplemented" | "idempotentUnary">;

export function conformanceService(opts: ServiceOptions = {}): Implemented & UntypedServiceImplementation {
  const trailersOf = (headers: { responseTrailers: { name: string; value: string[] }[] } | undefined) =>
    toMetadata(opts.dropTrailers || !headers ? [] : headers.responseTrailers);

  /** Unary and client-stream share this: one answer, or the error, after the requests. */
  async function answerOnce(call: AnyCall & { sendMetadata(md: Metadata): void }, def: UnaryResponseDefinition | undefined, requests: Any[], callback: sendUnaryData<{ payload: ConformancePayload }>) {
    const trailers = trailersOf(def);
    if (def) {
      call.sendMetadata(toMetadata(def.responseHeaders));
      if (def.responseDelayMs > 0) await sleep(def.responseDelayMs);
    }
    const info = requestInfo(call, requests);
    if (def?.error) return callback(statusError(def.error, [infoAny(info)], trailers));
    callback(null, { payload: { data: def?.responseData ?? Buffer.alloc(0), requestInfo: info } }, trailers);
  }

  return {
    unary(call: ServerUnaryCall<UnaryRequest, UnaryResponse>, callback: sendUnaryData<UnaryResponse>) {
      void answerOnce(call, call.request.responseDefinition, [asAny("UnaryRequest", UnaryRequest, call.request)], callback);
    },

    clientStream(call: ServerReadableStream<ClientStreamRequest, ClientStreamResponse>, callback: sendUnaryData<ClientStreamResponse>) {
      const requests: Any[] = [];
      let def: UnaryResponseDefinition | undefined;
      call.on("data", (req: ClientStreamRequest) => {
        if (requests.length === 0) def = req.responseDefinition;
        requests.push(asAny("ClientStreamRequest", ClientStreamRequest, req));
      });
      call.on("error", () => {}); // a cancelled or over-limit upload: grpc-js has answered already
      call.on("end", () => void answerOnce(call, def, requests, callback));
    },

    async serverStream(call: ServerWritableStream<ServerStreamRequest, ServerStreamResponse>) {
      const req = call.request;
      const def = req.responseDefinition;
      const requests = [asAny("ServerStreamRequest", ServerStreamRequest, req)];
      if (!def) return call.end();
      call.sendMetadata(toMetadata(def.responseHeaders)); // at once, so the client sees headers before any delay
      let sent = 0;
      for (const data of def.responseData) {
        if (call.cancelled) return;
        const payload: ConformancePayload = { data, requestInfo: sent === 0 ? requestInfo(call, requests) : undefined };
        if (def.responseDelayMs > 0) await sleep(def.responseDelayMs);
        call.write({ payload });
        sent++;
      }
      finish(call, def.error, sent === 0 ? [infoAny(requestInfo(call, requests))] : [], trailersOf(def));
    },

    async bidiStream(call: ServerDuplexStream<BidiStreamRequest, BidiStreamResponse>) {
      let def: BidiStreamRequest["responseDefinition"];
      let fullDuplex = false;
      let first = true;
      let sent = 0;
      let pending: Any[] = []; // requests not yet echoed in a response
      try {
        // destroyOnReturn: false, or Node's iterator destroys the whole duplex (our send side too)
        // when the request stream ends or the loop breaks.
        for await (const req of call.iterator({ destroyOnReturn: false }) as AsyncIterable<BidiStreamRequest>) {
          pending.push(asAny("BidiStreamRequest", BidiStreamRequest, req));
          if (first) {
            first = false;
            def = req.responseDefinition;
            fullDuplex = req.fullDuplex;
            // Full duplex sends headers at once; half duplex only after the upload is done.
            if (def && fullDuplex) call.sendMetadata(toMetadata(def.responseHeaders));
          }
          if (!fullDuplex) continue;
          if (!def || sent >= def.responseData.length) break; // nothing left to answer with: end with the error
          const info = sent === 0 ? requestInfo(call, pending) : { requestHeaders: [], timeoutMs: undefined, requests: pending, connectGetInfo: undefined };
          if (def.responseDelayMs > 0) await sleep(def.responseDelayMs);
          call.write({ payload: { data: def.responseData[sent], requestInfo: info } });
          sent++;
          pending = [];
        }
      } catch {
        return; // the request stream failed (cancelled, over the limit): grpc-js has ended the call
      }
      if (!def) return call.end();
      if (!fullDuplex) call.sendMetadata(toMetadata(def.responseHeaders));
      for (; sent < def.responseData.length; sent++) {
        if (call.cancelled) return;
        const info = sent === 0 ? requestInfo(call, pending) : undefined;
        if (def.responseDelayMs > 0) await sleep(def.responseDelayMs);
        call.write({ payload: { data: def.responseData[sent], requestInfo: info } });
      }
      finish(call, def.error, sent === 0 ? [infoAny(requestInfo(call, pending))] : [], trailersOf(def));
    },
  };
}

/** Ends a response stream: the definition's error (with its details and the trailers), or OK with the trailers. */
function finish(call: ServerWritableStream<unknown, unknown> | ServerDuplexStream<unknown, unknown>, err: ConformanceError | undefined, extra: Any[], trailers: Metadata) {
  if (err) call.emit("error", statusError(err, extra, trailers));
  else call.end(trailers);
}
