// One RPC of the suite's client mode on grpc-js: a channel as the request asks (plaintext or TLS,
// client certificate, gzip, receive limit), the call by stream type, cancellation at the asked
// moment, and what came back (headers, payloads, status with details, trailers, unsent requests).
// Follows the pseudocode of connectrpc/conformance docs/testing_clients.md.
import { setTimeout as sleep } from "node:timers/promises";
import { Client, credentials, Metadata, status, type CallOptions, type ChannelOptions, type ClientDuplexStream, type ClientReadableStream, type ClientWritableStream, type ServiceError, type StatusObject } from "@grpc/grpc-js";
import { Compression, StreamType } from "../.build/conformance/gen/connectrpc/conformance/v1/config.js";
import type { ClientCompatRequest, ClientResponseResult } from "../.build/conformance/gen/connectrpc/conformance/v1/client_compat.js";
import {
  BidiStreamRequest,
  BidiStreamResponse,
  ClientStreamRequest,
  ClientStreamResponse,
  IdempotentUnaryRequest,
  IdempotentUnaryResponse,
  ServerStreamRequest,
  ServerStreamResponse,
  UnaryRequest,
  UnaryResponse,
  UnimplementedRequest,
  UnimplementedResponse,
  type ConformancePayload,
  type MessageFns,
} from "../.build/conformance/gen/connectrpc/conformance/v1/service.js";
import { fromMetadata, toMetadata } from "./metadata.js";
import { decodeStatus, STATUS_DETAILS_KEY } from "./status-details.js";

const SERVICE = "connectrpc.conformance.v1.ConformanceService";

interface MethodSpec {
  request: MessageFns<unknown>;
  requestType: string;
  response: MessageFns<{ payload?: ConformancePayload }>;
}
const METHODS: Record<string, MethodSpec> = {
  Unary: { request: UnaryRequest, requestType: "UnaryRequest", response: UnaryResponse },
  IdempotentUnary: { request: IdempotentUnaryRequest, requestType: "IdempotentUnaryRequest", response: IdempotentUnaryResponse },
  Unimplemented: { request: UnimplementedRequest, requestType: "UnimplementedRequest", response: UnimplementedResponse as MessageFns<{ payload?: ConformancePayload }> },
  ServerStream: { request: ServerStreamRequest, requestType: "ServerStreamRequest", response: ServerStreamResponse },
  ClientStream: { request: ClientStreamRequest, requestType: "ClientStreamRequest", response: ClientStreamResponse },
  BidiStream: { request: BidiStreamRequest, requestType: "BidiStreamRequest", response: BidiStreamResponse },
};

/** Something the client cannot even attempt (bad request from the runner): a ClientErrorResult. */
export class SetupError extends Error {}

/**
 * One grpc-js Client (channel) per distinct set-up, reused by the RPCs that share it, as an
 * application would: a channel per RPC made the deadline cases slow on a loaded machine.
 */
const channels = new Map<string, Client>();
function channelFor(req: ClientCompatRequest): Client {
  const key = JSON.stringify([req.host, req.port, req.compression, req.messageReceiveLimit, Buffer.from(req.serverTlsCert).toString("base64"), req.clientTlsCreds ? Buffer.from(req.clientTlsCreds.cert).toString("base64") : ""]);
  let client = channels.get(key);
  if (!client) channels.set(key, (client = newChannel(req)));
  return client;
}

export function closeChannels(): void {
  for (const c of channels.values()) c.close();
  channels.clear();
}

function newChannel(req: ClientCompatRequest): Client {
  const options: ChannelOptions = {};
  if (req.compression === Compression.COMPRESSION_GZIP) options["grpc.default_compression_algorithm"] = 2; // gzip
  else if (req.compression !== Compression.COMPRESSION_IDENTITY && req.compression !== Compression.COMPRESSION_UNSPECIFIED) throw new SetupError(`compression ${req.compression} is not supported by this client`);
  if (req.messageReceiveLimit > 0) options["grpc.max_receive_message_length"] = req.messageReceiveLimit;
  const tls = req.serverTlsCert.length > 0;
  const creds = !tls
    ? credentials.createInsecure()
    : credentials.createSsl(Buffer.from(req.serverTlsCert), req.clientTlsCreds ? Buffer.from(req.clientTlsCreds.key) : null, req.clientTlsCreds ? Buffer.from(req.clientTlsCreds.cert) : null);
  return new Client(`${req.host}:${req.port}`, creds, options);
}

/** The requests, each checked to be of the method's request type and decoded by ts-proto. */
function requestsOf(req: ClientCompatRequest, spec: MethodSpec): unknown[] {
  return req.requestMessages.map((any, i) => {
    const name = any.typeUrl.slice(any.typeUrl.lastIndexOf("/") + 1);
    if (name !== `connectrpc.conformance.v1.${spec.requestType}`) throw new SetupError(`request ${i} is a ${name}, ${req.method} takes ${spec.requestType}`);
    return spec.request.decode(any.value);
  });
}

/** Collects what a call reports, whatever its shape. */
class Outcome {
  headers: Metadata | undefined;
  payloads: ConformancePayload[] = [];
  status: StatusObject | undefined;
  /** The "status" event of a unary or client-stream call (its trailers on success). */
  statusEvent: StatusObject | undefined;
  /** The grpc-js call, for the watchdog; and whether the watchdog had to cancel it. */
  call: { cancel(): void } | undefined;
  watchdogFired = false;
  unsent = 0;
  result(): ClientResponseResult {
    const st = this.status;
    const detailsBin = st?.metadata.get(STATUS_DETAILS_KEY)[0];
    const error =
      st && st.code !== status.OK
        ? {
            // grpc-js's codes are gRPC's; the suite's Code enum uses the same numbers.
            // On a response with an unknown grpc-encoding or a compressed flag without one, grpc-js
            // ends the call with a status that has no code at all (grpc/grpc-node#2767): reported
            // as UNKNOWN, as the suite's docs ask for an error without a code.
            code: (st.code as number | undefined) ?? status.UNKNOWN,
            message: this.watchdogFired ? `conformance client watchdog: no status from grpc-js within ${WATCHDOG_MS} ms, so the call was cancelled: ${st.details}` : st.details,
            details: Buffer.isBuffer(detailsBin) ? decodeStatus(detailsBin).details : [],
          }
        : undefined;
    return {
      responseHeaders: fromMetadata(this.headers),
      payloads: this.payloads,
      error,
      responseTrailers: fromMetadata(st?.metadata, (k) => k === STATUS_DETAILS_KEY),
      numUnsentRequests: this.unsent,
      httpStatusCode: undefined,
      feedback: [],
    };
  }
}

/** Resolves with the final status of a call; grpc-js always emits "status" once, errors too. */
function statusOf(call: { on(ev: "status", f: (s: StatusObject) => void): unknown; on(ev: "error", f: (e: ServiceError) => void): unknown }): Promise<StatusObject> {
  return new Promise((resolve) => {
    call.on("error", () => {}); // the status event carries the same code, message and trailers
    call.on("status", resolve);
  });
}

/** Pull-style reading of a response stream: next() gives the next message, or undefined at the end. */
function reader<T>(call: ClientReadableStream<T> | ClientDuplexStream<unknown, T>) {
  const queue: T[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  const poke = () => {
    wake?.();
    wake = undefined;
  };
  call.on("data", (m: T) => {
    queue.push(m);
    poke();
  });
  const end = () => ((ended = true), poke());
  call.on("end", end);
  // grpc-js emits "status" synchronously while the last messages may still sit in the stream's
  // buffer, to be emitted as "data" on a later tick; end only after those.
  call.on("status", () => setImmediate(end));
  return async function next(): Promise<T | undefined> {
    while (queue.length === 0 && !ended) await new Promise<void>((r) => (wake = r));
    return queue.shift();
  };
}

export async function invoke(req: ClientCompatRequest): Promise<ClientResponseResult> {
  if (req.service !== undefined && req.service !== SERVICE) throw new SetupError(`unknown service ${req.service}`);
  const spec = METHODS[req.method ?? ""];
  if (!spec) throw new SetupError(`unknown method ${req.method}`);
  const requests = requestsOf(req, spec);
  const out = new Outcome();
  // Watchdog: a call grpc-js never ends (seen: a unary call answered with two messages) would
  // otherwise time the runner out, which reports it as a set-up failure. Past WATCHDOG_MS the
  // call is cancelled; if even that brings no status, the result says so as an UNKNOWN error.
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<ClientResponseResult>((resolve) => {
    timer = setTimeout(() => {
      out.watchdogFired = true;
      out.call?.cancel();
      timer = setTimeout(() => {
        out.status = { code: status.UNKNOWN, details: `conformance client: grpc-js gave no status within ${WATCHDOG_MS} ms, nor after cancel()`, metadata: new Metadata() };
        resolve(out.result());
      }, 1000);
    }, WATCHDOG_MS);
  });
  try {
    return await Promise.race([call(channelFor(req), req, spec, requests, out), watchdog]);
  } finally {
    clearTimeout(timer);
  }
}

const WATCHDOG_MS = 10_000;

async function call(client: Client, req: ClientCompatRequest, spec: MethodSpec, requests: unknown[], out: Outcome): Promise<ClientResponseResult> {
  const path = `/${SERVICE}/${req.method}`;
  const serialize = (m: unknown) => Buffer.from(spec.request.encode(m).finish());
  const deserialize = (b: Buffer) => spec.response.decode(b);
  const md = toMetadata(req.requestHeaders);
  const options: CallOptions = req.timeoutMs !== undefined ? { deadline: Date.now() + req.timeoutMs } : {};
  const cancel = req.cancel;
  const payloadOf = (m: { payload?: ConformancePayload }) => m.payload ?? { data: Buffer.alloc(0), requestInfo: undefined };

  switch (req.streamType) {
    case StreamType.STREAM_TYPE_UNARY: {
      if (requests.length !== 1) throw new SetupError(`a unary call takes 1 request, got ${requests.length}`);
      let answered!: (s: StatusObject) => void;
      const done = new Promise<StatusObject>((r) => (answered = r));
      const c = client.makeUnaryRequest(path, serialize, deserialize, requests[0], md, options, answer(out, answered, payloadOf));
      out.call = c;
      c.on("metadata", (h) => (out.headers = h));
      c.on("status", (st) => (out.statusEvent = st));
      if (cancel?.afterCloseSendMs !== undefined) setTimeout(() => c.cancel(), cancel.afterCloseSendMs);
      out.status = await done;
      return out.result();
    }
    case StreamType.STREAM_TYPE_CLIENT_STREAM: {
      let answered!: (s: StatusObject) => void;
      const done = new Promise<StatusObject>((r) => (answered = r));
      const c = client.makeClientStreamRequest(path, serialize, deserialize, md, options, answer(out, answered, payloadOf));
      out.call = c;
      c.on("metadata", (h) => (out.headers = h));
      c.on("status", (st) => (out.statusEvent = st));
      let finished = false;
      void done.then(() => (finished = true));
      await sendAll(c, requests, req.requestDelayMs, () => finished, out);
      closeSend(c, cancel);
      out.status = await done;
      return out.result();
    }
    case StreamType.STREAM_TYPE_SERVER_STREAM: {
      if (requests.length !== 1) throw new SetupError(`a server-stream call takes 1 request, got ${requests.length}`);
      const c = client.makeServerStreamRequest(path, serialize, deserialize, requests[0], md, options);
      out.call = c;
      c.on("metadata", (h) => (out.headers = h));
      const done = statusOf(c);
      const next = reader(c);
      if (cancel?.afterCloseSendMs !== undefined) setTimeout(() => c.cancel(), cancel.afterCloseSendMs);
      await receiveAll(next, c, cancel?.afterNumResponses, out, payloadOf);
      out.status = await done;
      return out.result();
    }
    case StreamType.STREAM_TYPE_HALF_DUPLEX_BIDI_STREAM:
    case StreamType.STREAM_TYPE_FULL_DUPLEX_BIDI_STREAM: {
      const full = req.streamType === StreamType.STREAM_TYPE_FULL_DUPLEX_BIDI_STREAM;
      const c = client.makeBidiStreamRequest(path, serialize, deserialize, md, options);
      out.call = c;
      c.on("metadata", (h) => (out.headers = h));
      const done = statusOf(c);
      let finished = false;
      void done.then(() => (finished = true));
      const next = reader(c);
      const onEach = full
        ? async () => {
            // Full duplex: one response after each request, as the suite's server answers.
            const m = await next();
            if (m === undefined) return false;
            out.payloads.push(payloadOf(m));
            if (cancel?.afterNumResponses === out.payloads.length) c.cancel();
            return true;
          }
        : undefined;
      await sendAll(c, requests, req.requestDelayMs, () => finished, out, onEach);
      closeSend(c, cancel);
      await receiveAll(next, c, cancel?.afterNumResponses, out, payloadOf);
      out.status = await done;
      return out.result();
    }
    default:
      throw new SetupError(`stream type ${req.streamType} is not supported`);
  }
}

/**
 * The callback of a unary or client-stream call is grpc-js's verdict: it turns an OK status without
 * a response, or a second response, into an error that the "status" event does not show. An error
 * carries its trailers; on success they come from the "status" event, which grpc-js emits right
 * after the callback (hence the setImmediate).
 */
function answer(out: Outcome, answered: (s: StatusObject) => void, payloadOf: (m: { payload?: ConformancePayload }) => ConformancePayload) {
  return (err: ServiceError | null, value?: { payload?: ConformancePayload }) => {
    if (err) return answered({ code: err.code, details: err.details, metadata: err.metadata ?? new Metadata() });
    if (value) out.payloads.push(payloadOf(value));
    setImmediate(() => answered({ code: status.OK, details: "", metadata: out.statusEvent?.metadata ?? new Metadata() }));
  };
}

/** Sends each request after the asked delay; once the call has ended, the rest count as unsent. */
async function sendAll(c: ClientWritableStream<unknown> | ClientDuplexStream<unknown, unknown>, requests: unknown[], delayMs: number, ended: () => boolean, out: Outcome, afterEach?: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < requests.length; i++) {
    if (delayMs > 0) await sleep(delayMs);
    if (ended()) {
      out.unsent = requests.length - i;
      return;
    }
    c.write(requests[i]);
    if (afterEach && !(await afterEach())) {
      out.unsent = requests.length - i - 1;
      return;
    }
  }
}

/** Half-close, or cancel instead of it, or cancel a while after it, as the request says. */
function closeSend(c: ClientWritableStream<unknown> | ClientDuplexStream<unknown, unknown>, cancel: ClientCompatRequest["cancel"]): void {
  if (cancel?.beforeCloseSend) {
    c.cancel();
    return;
  }
  c.end();
  if (cancel?.afterCloseSendMs !== undefined) setTimeout(() => c.cancel(), cancel.afterCloseSendMs);
}

async function receiveAll<T extends { payload?: ConformancePayload }>(next: () => Promise<T | undefined>, c: { cancel(): void }, cancelAfter: number | undefined, out: Outcome, payloadOf: (m: T) => ConformancePayload): Promise<void> {
  for (let m = await next(); m !== undefined; m = await next()) {
    out.payloads.push(payloadOf(m));
    if (cancelAfter === out.payloads.length) c.cancel();
  }
}
