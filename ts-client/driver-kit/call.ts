// Performs one case through the team's generated grpc-js client, as an application would, and
// records what happened (interop/contract.ts). Requests go case JSON -> contract message
// (strict: an unknown field is an error) -> wire bytes -> the generated code's requestDeserialize
// -> the generated client's call; replies come back through its responseSerialize into the
// contract's types, printed as canonical proto3 JSON. So the generated code is exercised both
// ways and every language's output is judged in one form. A case with a `path` override calls
// that wire path with the method's (de)serializers: a method the server does not have.
import { create, fromBinary, fromJson, toBinary, type JsonValue } from "@bufbuild/protobuf";
import type { Client, ClientDuplexStream, ClientWritableStream, Metadata, ServiceError, StatusObject } from "@grpc/grpc-js";
import type { CaseSpec, Event, Observation } from "../../interop/contract.js";
import { channelFor, connect, metadataJSON, requestMetadata } from "./channel.js";
import { canonicalJson, type Contract, type ContractMethod } from "./contract.js";
import type { ClientMethod } from "./services.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type AnyCall = ClientDuplexStream<unknown, unknown>;
const REPORT_METHOD = "interop.InteropTest/GetCallReport";

/** A case the driver cannot perform: the message names the case and what is wrong. */
export class CaseError extends Error {}

export interface BoundMethod {
  contract: ContractMethod;
  client: ClientMethod;
}

/** The requests as the generated code's own objects: JSON -> contract message -> bytes -> requestDeserialize. */
export function buildRequests(contract: Contract, spec: CaseSpec, method: BoundMethod): unknown[] {
  let reqs = spec.requests as Record<string, JsonValue>[];
  if (spec.requestPayloadBytes) reqs = reqs.map((r) => ({ ...r, payload: Buffer.alloc(spec.requestPayloadBytes!).toString("base64") }));
  if (spec.repeatRequests && reqs.length) reqs = Array.from({ length: spec.repeatRequests }, (_, i) => ({ ...reqs[0], index: String(i) }));
  const sizes = spec.requestPayloadSizes ?? [];
  reqs = reqs.map((r, i) => (i < sizes.length ? { ...r, payload: Buffer.alloc(sizes[i]).toString("base64") } : r));
  return reqs.map((json, i) => {
    let bytes: Uint8Array;
    try {
      bytes = toBinary(method.contract.input, fromJson(method.contract.input, json, { registry: contract.registry }));
    } catch (e) {
      throw new CaseError(`case ${spec.name}: requests[${i}] is not a valid ${method.contract.input.typeName}: ${(e as Error).message}`);
    }
    return method.client.definition.requestDeserialize(Buffer.from(bytes));
  });
}

/** The function that starts the call: the generated client's method, or the generic one for `path`. */
function invoker(client: Client, spec: CaseSpec, method: BoundMethod): (...args: unknown[]) => AnyCall {
  if (!spec.path) return (client as unknown as Record<string, (...a: unknown[]) => AnyCall>)[method.client.key].bind(client);
  const { requestSerialize: ser, responseDeserialize: de } = method.client.definition;
  const generic = {
    unary: client.makeUnaryRequest, "server-streaming": client.makeServerStreamRequest,
    "client-streaming": client.makeClientStreamRequest, bidi: client.makeBidiStreamRequest,
  }[method.contract.pattern] as (...a: unknown[]) => AnyCall;
  return (...args) => generic.call(client, spec.path, ser, de, ...args);
}

export function emptyObservation(client: string, spec: CaseSpec): Observation {
  return { client, case: spec.name, method: spec.method, status: { code: 0, message: "" }, sent: [], halfCloseAtMs: null, responses: [], headers: {}, trailers: {}, durationMs: 0 };
}

export async function runCase(contract: Contract, address: string, spec: CaseSpec, method: BoundMethod, clientName = "ts"): Promise<Observation> {
  const requests = buildRequests(contract, spec, method); // before connecting: a bad case makes no call
  const { creds, options } = channelFor(spec);
  const client = new method.client.Client(spec.address ?? address, creds, options);
  const obs = emptyObservation(clientName, spec);
  await connect(client, spec.timeoutMs ?? 10_000);
  const start = performance.now();
  const now = () => Math.round((performance.now() - start) * 1000) / 1000;
  const { responseSerialize } = method.client.definition;
  const record = (msg: unknown): Event => {
    const bytes = responseSerialize(msg);
    if (spec.recordSizesOnly) return { atMs: now(), sizeBytes: bytes.length };
    return { atMs: now(), message: canonicalJson(contract, method.contract.output, fromBinary(method.contract.output, bytes)) };
  };
  const callOptions = () => ({ deadline: Date.now() + (spec.timeoutMs ?? 10_000) });

  try {
    if (spec.concurrentCalls) {
      obs.status = await concurrentUnary(client, spec, method, requests, record, obs.responses, callOptions);
    } else {
      obs.status = await oneCall(client, spec, method, requests, obs, now, record, callOptions());
    }
    obs.durationMs = now();
    const details = statusDetails(contract, obs.trailers);
    if (details !== undefined) obs.statusDetails = details;
    // The channel stays open meanwhile: closing it could end a cancelled stream differently.
    if (spec.callReport) obs.callReport = await callReport(contract, address, spec);
  } finally {
    client.close();
  }
  return obs;
}

async function oneCall(
  client: Client, spec: CaseSpec, method: BoundMethod, requests: unknown[], obs: Observation, now: () => number, record: (m: unknown) => Event, options: { deadline: number },
): Promise<{ code: number; message: string }> {
  const start = invoker(client, spec, method);
  const md = requestMetadata(spec);
  const cancels = Boolean(spec.cancelAfterMs || spec.cancelAfterResponses) && !spec.halfCloseBeforeCancel;
  const pattern = method.contract.pattern;
  let finished = false;
  let call: AnyCall;
  // sendOnReply: the pause after request i ends early once reply i has arrived (or the call ended).
  let replyArrived = () => {};
  const untilReplies = (count: number, maxMs: number) =>
    new Promise<void>((resolve) => {
      const end = () => {
        clearTimeout(timer);
        replyArrived = () => {};
        resolve();
      };
      const timer = setTimeout(end, maxMs);
      replyArrived = () => (finished || obs.responses.length >= count ? end() : undefined);
      replyArrived(); // the reply may be here already
    });

  const status = new Promise<{ code: number; message: string }>((resolve) => {
    const callback = (err: ServiceError | null, res?: unknown) => {
      if (!err && res !== undefined) obs.responses.push(record(res));
    };
    if (pattern === "unary") call = start(requests[0], md, options, callback);
    else if (pattern === "server-streaming") call = start(requests[0], md, options);
    else if (pattern === "client-streaming") call = start(md, options, callback);
    else call = start(md, options);
    call.on("metadata", (m: Metadata) => (obs.headers = metadataJSON(m)));
    call.on("status", (s: StatusObject) => {
      finished = true;
      replyArrived();
      obs.trailers = metadataJSON(s.metadata);
      resolve({ code: s.code, message: s.details });
    });
    call.on("error", () => {}); // the status event carries the same code and details
    if (pattern === "server-streaming" || pattern === "bidi") {
      let cancelled = false;
      call.on("data", (msg: unknown) => {
        // A message already buffered when the cancel went out is not a reply this client took.
        if (cancelled) return;
        obs.responses.push(record(msg));
        replyArrived();
        if (spec.cancelAfterResponses && obs.responses.length >= spec.cancelAfterResponses) {
          cancelled = true;
          call.cancel();
        }
      });
    }
  });
  if (spec.cancelAfterMs) setTimeout(() => call.cancel(), spec.cancelAfterMs);

  if (pattern === "client-streaming" || pattern === "bidi") {
    // Write each request, pausing after it as the article's clients do, then half-close
    // (unless the case cancels: then the stream stays open until the cancel).
    const stream = call! as ClientWritableStream<unknown>;
    for (const req of requests) {
      if (finished) break;
      if (!stream.write(req)) await new Promise((r) => stream.once("drain", r));
      obs.sent.push({ atMs: now() });
      if (spec.sendIntervalMs) await (spec.sendOnReply ? untilReplies(obs.sent.length, spec.sendIntervalMs) : sleep(spec.sendIntervalMs));
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

/** google.rpc.Status from grpc-status-details-bin (grpc-js leaves it in the trailers), as canonical JSON. */
function statusDetails(contract: Contract, trailers: Record<string, string[]>): unknown {
  const [b64] = trailers["grpc-status-details-bin"] ?? [];
  if (b64 === undefined) return undefined;
  const schema = contract.registry.getMessage("google.rpc.Status");
  if (!schema) return { error: "the descriptor set has no google.rpc.Status" };
  try {
    return canonicalJson(contract, schema, fromBinary(schema, Buffer.from(b64, "base64")));
  } catch (e) {
    return { error: `grpc-status-details-bin is not a google.rpc.Status of the descriptor set: ${(e as Error).message}` };
  }
}

/** Call i sends request i (mod the count); replies are listed in call order, each stamped at its arrival. */
async function concurrentUnary(
  client: Client, spec: CaseSpec, method: BoundMethod, requests: unknown[], record: (m: unknown) => Event, responses: Event[], options: () => { deadline: number },
): Promise<{ code: number; message: string }> {
  const start = invoker(client, spec, method);
  const replies: (Event | undefined)[] = [];
  const results = await Promise.all(
    Array.from({ length: spec.concurrentCalls! }, (_, i) =>
      new Promise<ServiceError | null>((resolve) => {
        start(requests[i % requests.length], requestMetadata(spec), options(), (err: ServiceError | null, res?: unknown) => {
          if (!err) replies[i] = record(res);
          resolve(err);
        });
      }),
    ),
  );
  for (const r of replies) if (r) responses.push(r);
  const err = results.find((e) => e);
  return err ? { code: err.code, message: err.details } : { code: 0, message: "" };
}

/**
 * Asks the server (interop.InteropTest/GetCallReport) what it saw of the tagged call. This is the
 * harness's plumbing, not the code under test: it goes through the contract's types directly.
 */
async function callReport(contract: Contract, address: string, spec: CaseSpec): Promise<unknown> {
  const report = contract.methods.get(REPORT_METHOD);
  if (!report) return { error: `the descriptor set has no ${REPORT_METHOD}` };
  const { creds, options } = channelFor({ ...spec, compression: undefined });
  const { Client } = await import("@grpc/grpc-js");
  const client = new Client(spec.address ?? address, creds, options);
  const { tag, waitMs } = spec.callReport!;
  const request = create(report.input, { tag, waitMs } as never);
  try {
    return await new Promise((resolve) => {
      client.makeUnaryRequest(
        `/${REPORT_METHOD}`,
        (m: typeof request) => Buffer.from(toBinary(report.input, m)),
        (b: Buffer) => fromBinary(report.output, b),
        request,
        { deadline: Date.now() + waitMs + 5000 },
        (err, res) => resolve(err ? { error: err.message } : canonicalJson(contract, report.output, res!)),
      );
    });
  } finally {
    client.close();
  }
}
