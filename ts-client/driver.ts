// ts-client driver: the TypeScript client under test, speaking the same JSON contract as the
// Go and Python drivers (interop/contract.ts). It calls through ts-proto's generated grpc-js
// client, exactly as an application would, and prints what it observed. It judges nothing.
import { parseArgs } from "node:util";
import { credentials, Metadata, type ClientDuplexStream, type ClientWritableStream, type ServiceError, type StatusObject } from "@grpc/grpc-js";
import type { CaseSpec, Observation } from "../interop/contract.js";
import { loadMethods, type MethodEntry } from "./registry.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runCase(address: string, spec: CaseSpec, method: MethodEntry): Promise<Observation> {
  const client = new method.Client(address, credentials.createInsecure());
  const call = (client as unknown as Record<string, (...args: unknown[]) => unknown>)[method.key].bind(client);
  const requests = spec.requests.map((r) => method.requestType.fromJSON(r));
  const options = { deadline: Date.now() + (spec.timeoutMs ?? 10_000) };
  const start = performance.now();
  const now = () => Math.round((performance.now() - start) * 1000) / 1000;
  const obs: Observation = { client: "ts", case: spec.name, method: spec.method, status: { code: 0, message: "" }, sent: [], halfCloseAtMs: null, responses: [], durationMs: 0 };
  const record = (msg: unknown) => obs.responses.push({ atMs: now(), message: method.responseType.toJSON(msg) });
  let finished = false;

  // Writes each request, pausing after it as the article's clients do, then half-closes.
  const sendAll = async (stream: ClientWritableStream<unknown> | ClientDuplexStream<unknown, unknown>) => {
    for (const req of requests) {
      if (finished) return; // the server already ended the call
      stream.write(req);
      obs.sent.push({ atMs: now() });
      await sleep(spec.sendIntervalMs ?? 0);
    }
    if (finished) return;
    stream.end();
    obs.halfCloseAtMs = now();
  };
  const oneShot = () => {
    obs.sent.push({ atMs: now() });
    obs.halfCloseAtMs = obs.sent[0].atMs;
  };

  const status = await new Promise<{ code: number; message: string }>((resolve) => {
    const done = (s: { code: number; details: string }) => {
      finished = true;
      resolve({ code: s.code, message: s.details });
    };
    const callback = (err: ServiceError | null, res?: unknown) => {
      if (res !== undefined && !err) record(res);
      done(err ?? { code: 0, details: "" });
    };
    const md = new Metadata();
    switch (method.pattern) {
      case "unary":
        oneShot();
        call(requests[0], md, options, callback);
        break;
      case "client-streaming":
        void sendAll(call(md, options, callback) as ClientWritableStream<unknown>);
        break;
      case "server-streaming":
      case "bidi": {
        const stream = (method.pattern === "bidi" ? call(md, options) : (oneShot(), call(requests[0], md, options))) as ClientDuplexStream<unknown, unknown>;
        stream.on("data", record);
        stream.on("error", () => {}); // the status event below carries the same code and details
        stream.on("status", (s: StatusObject) => done(s));
        if (method.pattern === "bidi") void sendAll(stream);
        break;
      }
    }
  });
  obs.status = status;
  obs.durationMs = now();
  client.close();
  return obs;
}

function fail(message: string): never {
  console.error(`ts-client: ${message}`);
  process.exit(2);
}

async function main() {
  const { values } = parseArgs({ options: { addr: { type: "string" }, "case-json": { type: "string" } } });
  if (!values.addr || !values["case-json"]) fail("usage: driver --addr HOST:PORT --case-json JSON");
  let spec: CaseSpec;
  try {
    spec = JSON.parse(values["case-json"]);
  } catch (e) {
    fail(`--case-json is not valid JSON: ${(e as Error).message}`);
  }
  const method = (await loadMethods()).get(spec.method) ?? fail(`unknown method ${JSON.stringify(spec.method)}`);
  console.log(JSON.stringify(await runCase(values.addr, spec, method)));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
