// ts-perf: the TS column of `npm run perf`, through the ts-proto client under test. Measures
// unary latency (concurrency 1 and 16), server- and client-streaming messages per second and
// ping-pong bidi round trips per second, each for --budget-ms, and prints one JSON line
// (interop/perf/contract.ts). Every loop ends when its budget is spent; every call has a deadline.
import { credentials, Metadata, type ClientDuplexStream } from "@grpc/grpc-js";
import { parseArgs } from "node:util";
import { EchoRequest, InteropTestClient, StreamOutputRequest, type EchoResponse } from "../gen/ts/interop_test.js";

const { values } = parseArgs({ options: { addr: { type: "string" }, "budget-ms": { type: "string", default: "500" }, payload: { type: "string", default: "256" }, "stream-batch": { type: "string", default: "1000" } } });
if (!values.addr) {
  console.error("ts-perf: --addr is required");
  process.exit(2);
}
const budget = Number(values["budget-ms"]);
const payload = Buffer.alloc(Number(values.payload));
const batch = Number(values["stream-batch"]);
const client = new InteropTestClient(values.addr, credentials.createInsecure());
const deadline = () => ({ deadline: Date.now() + budget + 5000 });
const perSec = (messages: number, ms: number) => ({ messages, perSec: (messages * 1000) / ms });

function echo(): Promise<void> {
  return new Promise((resolve, reject) => client.echo(EchoRequest.fromPartial({ payload }), new Metadata(), deadline(), (err) => (err ? reject(err) : resolve())));
}

async function unary(workers: number) {
  const ms: number[] = [];
  let errors = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() - start < budget) {
        const t = performance.now();
        try {
          await echo();
          ms.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = performance.now() - start;
  ms.sort((a, b) => a - b);
  const at = (q: number) => (ms.length ? ms[Math.floor(q * (ms.length - 1))] : 0);
  return { calls: ms.length, errors, p50: at(0.5), p90: at(0.9), p99: at(0.99), perSec: (ms.length * 1000) / elapsed };
}

async function serverStreaming() {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < budget) {
    const stream = client.streamOutput(StreamOutputRequest.fromPartial({ responseCount: batch, responseSize: payload.length }), deadline());
    for await (const _ of stream) n++;
  }
  return perSec(n, performance.now() - start);
}

async function clientStreaming() {
  let n = 0;
  let counted = -1;
  const start = performance.now();
  const done = new Promise<void>((resolve, reject) => {
    const call = client.streamInput(deadline(), (err, summary) => (err ? reject(err) : ((counted = Number(summary!.count)), resolve())));
    const pump = async () => {
      while (performance.now() - start < budget) {
        if (!call.write(EchoRequest.fromPartial({ payload, index: String(n++) }))) await new Promise((r) => call.once("drain", r));
      }
      call.end();
    };
    void pump();
  });
  await done;
  const elapsed = performance.now() - start;
  // The server's count must match, or the figure would measure lost messages.
  if (counted !== n) throw new Error(`client streaming: sent ${n} requests, the server counted ${counted}`);
  return perSec(n, elapsed);
}

async function bidi() {
  const call: ClientDuplexStream<EchoRequest, EchoResponse> = client.fullDuplex(deadline());
  const replies = call[Symbol.asyncIterator]();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < budget) {
    call.write(EchoRequest.fromPartial({ payload, index: String(n) }));
    const next = await replies.next();
    if (next.done) throw new Error(`bidi: the server ended the stream after ${n} replies`);
    n++;
  }
  const elapsed = performance.now() - start;
  call.end();
  for await (const _ of { [Symbol.asyncIterator]: () => replies }) { /* drain to the status */ }
  return perSec(n, elapsed);
}

const out: Record<string, unknown> = {};
try {
  await echo(); // connect first: channel set-up is not a call's latency
  out.unary = { c1: await unary(1), c16: await unary(16) };
  out.serverStreaming = await serverStreaming();
  out.clientStreaming = await clientStreaming();
  out.bidi = await bidi();
} catch (e) {
  out.error = (e as Error).message;
}
console.log(JSON.stringify(out));
client.close();
