// `npm run vectors [-- --seed N]`: two checks.
// 1. Golden vectors (npm run compat's): (re)writes fixtures/vectors/greeter.json from the
//    definitions below, then runs every language's round trip over them. Run it after changing a
//    vector or the contract, review the diff, and commit it.
// 2. Every message type of the contract (interop/vectors/): seeded edge-value vectors, decoded by
//    Go, Python, TS and ts-proto, compared across languages; known differences are pinned in
//    fixtures/vectors/contract-differences.json.
//
// The known fields are encoded with ts-proto (from the proto3 JSON value); unknown fields are
// appended by hand with the wire writer, after the known ones, which is where protobuf-go and
// Python put them back on re-encode, so the golden bytes are canonical for every language.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { checkVectors, VECTORS_DIR, type Vector } from "../interop/compat/vectors.js";
import { UsageError } from "../interop/errors.js";
import { loadMessageTypes, type MessageFns } from "../ts-client/message-types.js";
import { main, prepare } from "./prepare.js";
import { parseArgs } from "node:util";
import { checkContractVectors, printContractVectors } from "../interop/vectors/run.js";

type Unknown = (w: BinaryWriter) => void;

interface Definition {
  name: string;
  type: string;
  value: Record<string, unknown>;
  /** Field number -> how to write it (tag included). */
  unknown?: Record<number, Unknown>;
}

const tag = (n: number, wireType: number) => (w: BinaryWriter) => w.uint32((n << 3) | wireType);

const DEFINITIONS: Definition[] = [
  { name: "hello-request", type: "greeter.HelloRequest", value: { name: "interop" } },
  { name: "hello-request-empty", type: "greeter.HelloRequest", value: {} },
  { name: "hello-request-utf8", type: "greeter.HelloRequest", value: { name: "héllo, 世界 👋" } },
  { name: "hello-reply", type: "greeter.HelloReply", value: { message: "Hello interop" } },
  { name: "stock-request", type: "greeter.StockRequest", value: { symbol: "TSMC" } },
  { name: "stock-reply", type: "greeter.StockReply", value: { symbol: "TSMC", price: 512.25 } },
  { name: "metric", type: "greeter.Metric", value: { value: 25.5 } },
  { name: "metric-summary", type: "greeter.MetricSummary", value: { count: 3, average: 26.466666666666667 } },
  // A negative int32 is a 10-byte varint in every language (sign-extended to 64 bits).
  { name: "metric-summary-negative", type: "greeter.MetricSummary", value: { count: -1, average: -0.5 } },
  { name: "chat-message", type: "greeter.ChatMessage", value: { user: "interop", message: "Streaming is cool" } },
  {
    name: "hello-request+unknown-99-string",
    type: "greeter.HelloRequest",
    value: { name: "interop" },
    unknown: { 99: (w) => (tag(99, 2)(w), w.string("from a newer contract")) },
  },
  {
    name: "hello-reply+unknown-99-varint",
    type: "greeter.HelloReply",
    value: { message: "Hello interop" },
    unknown: { 99: (w) => (tag(99, 0)(w), w.uint64(150)) },
  },
  {
    name: "chat-message+unknown-fixed32-fixed64",
    type: "greeter.ChatMessage",
    value: { user: "interop", message: "Bye" },
    unknown: { 7: (w) => (tag(7, 5)(w), w.fixed32(0xdeadbeef)), 8: (w) => (tag(8, 1)(w), w.fixed64("1234567890123")) },
  },
  {
    name: "metric-summary+only-unknown",
    type: "greeter.MetricSummary",
    value: {},
    unknown: { 99: (w) => (tag(99, 2)(w), w.bytes(Uint8Array.of(1, 2, 3))) },
  },
];

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function toVector(d: Definition, types: Map<string, MessageFns>): Vector {
  const type = types.get(d.type);
  if (!type) throw new UsageError(`vector ${d.name}: no message ${d.type} in gen/ts: fix the definition in scripts/vectors.ts`);
  const known = type.encode(type.fromJSON(d.value)).finish();
  if (!d.unknown) return { name: d.name, type: d.type, value: d.value, hex: hex(known) };
  const w = new BinaryWriter();
  for (const write of Object.values(d.unknown)) write(w);
  const unknownFields = Object.keys(d.unknown).map(Number);
  return { name: d.name, type: d.type, value: d.value, unknownFields, knownHex: hex(known), hex: hex(known) + hex(w.finish()) };
}

const { values } = parseArgs({ options: { seed: { type: "string", default: "1" } } });
const seed = Number(values.seed);

await main(async () => {
  if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got "${values.seed}"`);
  await prepare();
  const types = await loadMessageTypes();
  const doc = {
    $comment: "Golden vectors, written by `npm run vectors` (scripts/vectors.ts) and reviewed. hex is the canonical encoding of value; unknownFields are field numbers the contract does not define, appended after the known fields; knownHex is hex without them.",
    vectors: DEFINITIONS.map((d) => toVector(d, types)),
  };
  writeFileSync(join(VECTORS_DIR, "greeter.json"), JSON.stringify(doc, null, 2) + "\n");
  console.error(`vectors: wrote ${doc.vectors.length} vectors to fixtures/vectors/greeter.json; checking every language ...`);
  const outcomes = await checkVectors();
  for (const o of outcomes) if (o.status !== "passed") console.error(`  ${o.status}: ${o.language} ${o.vector}: ${o.detail}${o.reason ? ` (${o.reason})` : ""}`);
  const failed = outcomes.filter((o) => o.status === "failed").length;
  console.error(`vectors: ${outcomes.filter((o) => o.status === "passed").length} passed, ${failed} failed, ${outcomes.filter((o) => o.status === "known-difference").length} known differences`);
  const contract = await checkContractVectors(seed);
  printContractVectors(contract);
  if (failed || contract.failures.length || contract.stale.length) process.exit(1);
});
