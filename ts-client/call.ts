// Performs one case through ts-proto's generated grpc-js client, as an application would, and
// records what happened (interop/contract.ts). A case with a `path` override calls that wire
// path with the method's (de)serializers instead: a method the server does not have.
import type { Client, ClientDuplexStream, ClientWritableStream, Metadata, ServiceError, StatusObject } from "@grpc/grpc-js";
import type { CaseSpec, Event, Observation } from "../interop/contract.js";
import { channelFor, metadataJSON, requestMetadata } from "./channel.js";
import type { MethodEntry } from "./registry.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type AnyCall = ClientDuplexStream<unknown, unknown>;

/** The requests to send: as listed, with payload bytes filled in and/or repeated with an index. */
function buildRequests(spec: CaseSpec, method: MethodEntry): unknown[] {
  let reqs = spec.requests.map((r) => method.requestType.fromJSON(r) as Record<string, unknown>);
  if (spec.requestPayloadBytes) reqs = reqs.map((r) => ({ ...r, payload: Buffer.alloc(spec.requestPayloadBytes!) }));
  if (spec.repeatRequests && reqs.length) reqs = Array.from({ length: spec.repeatRequests }, (_, i) => ({ ...reqs[0], index: String(i) }));
  return reqs;
}

/** The function that starts the call: the generated client's method, or the generic one for `path`. */
function invoker(client: Client, spec: CaseSpec, method: MethodEntry): (...args: unknown[]) => AnyCall {
  if (!spec.path) return (client as unknown as Record<string, (...a: unknown[]) => AnyCall>)[method.key].bind(client);
  const { requestSerialize: ser, responseDeserialize: de } = method.grpc;
  const generic = {
    unary: client.makeUnaryRequest, "server-streaming": client.makeServerStreamRequest,
    "client-streaming": client.makeClientStreamRequest, bidi: client.makeBidiStreamRequest,
  }[method.pattern] as (...a: unknown[]) => AnyCall;
  return (...args) => generic.call(client, spec.path, ser, de, ...args);
}

export async function runCase(address: string, spec: CaseSpec, method: MethodEntry, reportMethod?: MethodEntry): Promise<Observation> {
  const { creds, options } = channelFor(spec);
  const client = new method.Client(spec.address ?? address, creds, options);
  const obs: Observation = {
    client: "ts", case: spec.name, method: spec.method, status: { code: 0, message: "" },
    sent: [], halfCloseAtMs: null, responses: [], headers: {}, trailers: {}, durationMs: 0,
  };
  const start = performance.now();
  const now = () => Math.round((performance.now() - start) * 1000) / 1000;
  const record = (msg: unknown): Event =>
    spec.recordSizesOnly ? { atMs: now(), sizeBytes: method.responseType.encode(msg).finish().length } : { atMs: now(), message: method.responseType.toJSON(msg) };
  const callOptions = () => ({ deadline: Date.now() + (spec.timeoutMs ?? 10_000) });

  if (spec.concurrentCalls) {
    obs.status = await concurrentUnary(client, spec, method, (m) => obs.responses.push(record(m)), callOptions);
  } else {
    obs.status = await oneCall(client, spec, method, obs, now, record, callOptions());
  }
  obs.durationMs = now();
  if (spec.callReport && reportMethod) obs.callReport = await callReport(address, spec, reportMethod);
  client.close();
  return obs;
}

async function oneCall(
  client: Client, spec: CaseSpec, method: MethodEntry, obs: Observation, now: () => number, record: (m: unknown) => Event, options: { deadline: number },
): Promise<{ code: number; message: string }> {
  const requests = buildRequests(spec, method);
  const start = invoker(client, spec, method);
  const md = requestMetadata(spec);
  const cancels = Boolean(spec.cancelAfterMs || spec.cancelAfterResponses);
  let finished = false;
  let call: AnyCall;

  const status = new Promise<{ code: number; message: string }>((resolve) => {
    const callback = (err: ServiceError | null, res?: unknown) => {
      if (!err && res !== undefined) obs.responses.push(record(res));
    };
    if (method.pattern === "unary") call = start(requests[0], md, options, callback);
    else if (method.pattern === "server-streaming") call = start(requests[0], md, options);
    else if (method.pattern === "client-streaming") call = start(md, options, callback);
    else call = start(md, options);
    call.on("metadata", (m: Metadata) => (obs.headers = metadataJSON(m)));
    call.on("status", (s: StatusObject) => {
      finished = true;
      obs.trailers = metadataJSON(s.metadata);
      resolve({ code: s.code, message: s.details });
    });
    call.on("error", () => {}); // the status event carries the same code and details
    if (method.pattern === "server-streaming" || method.pattern === "bidi") {
      call.on("data", (msg: unknown) => {
        obs.responses.push(record(msg));
        if (spec.cancelAfterResponses && obs.responses.length >= spec.cancelAfterResponses) call.cancel();
      });
    }
  });
  if (spec.cancelAfterMs) setTimeout(() => call.cancel(), spec.cancelAfterMs);

  if (method.pattern === "client-streaming" || method.pattern === "bidi") {
    // Write each request, pausing after it as the article's clients do, then half-close
    // (unless the case cancels: then the stream stays open until the cancel).
    const stream = call! as ClientWritableStream<unknown>;
    for (const req of requests) {
      if (finished) break;
      if (!stream.write(req)) await new Promise((r) => stream.once("drain", r));
      obs.sent.push({ atMs: now() });
      if (spec.sendIntervalMs) await sleep(spec.sendIntervalMs);
    }
    if (!finished && !cancels) {
      stream.end();
      obs.halfCloseAtMs = now();
    }
  } else {
    obs.sent.push({ atMs: now() });
    obs.halfCloseAtMs = obs.sent[0].atMs;
  }
  return status;
}

async function concurrentUnary(
  client: Client, spec: CaseSpec, method: MethodEntry, onReply: (m: unknown) => void, options: () => { deadline: number },
): Promise<{ code: number; message: string }> {
  const start = invoker(client, spec, method);
  // Call i sends request i (with repeatRequests: index i), so each reply can be checked
  // against its own request; replies are recorded in call order, not arrival order.
  const requests = buildRequests(spec, method);
  const replies: unknown[] = new Array(spec.concurrentCalls!);
  const results = await Promise.all(
    Array.from({ length: spec.concurrentCalls! }, (_, i) =>
      new Promise<ServiceError | null>((resolve) => {
        start(requests[i % requests.length], requestMetadata(spec), options(), (err: ServiceError | null, res?: unknown) => {
          if (!err) replies[i] = res;
          resolve(err);
        });
      }),
    ),
  );
  for (const r of replies) if (r !== undefined) onReply(r);
  const err = results.find((e) => e);
  return err ? { code: err.code, message: err.details } : { code: 0, message: "" };
}

/** Asks the server (interop.InteropTest/GetCallReport) what it saw of the tagged call. */
async function callReport(address: string, spec: CaseSpec, report: MethodEntry): Promise<unknown> {
  const { creds, options } = channelFor({ ...spec, compression: undefined });
  const client = new report.Client(spec.address ?? address, creds, options);
  const { tag, waitMs } = spec.callReport!;
  try {
    return await new Promise((resolve) => {
      (client as unknown as Record<string, (...a: unknown[]) => void>)[report.key](
        { tag, waitMs }, { deadline: Date.now() + waitMs + 5000 },
        (err: ServiceError | null, res: unknown) => resolve(err ? { error: err.message } : report.responseType.toJSON(res)),
      );
    });
  } finally {
    client.close();
  }
}
