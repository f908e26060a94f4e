// TS vector program. Two input formats:
//
// - README: Every message type (npm run vectors): FILE is a JSON array of { id, type, hex }. Each vector is decoded
//   with the contract's descriptor set (@bufbuild/protobuf, no generated code) and printed as one
//   JSON line { id, json, hex, unknown } (canonical JSON, the re-encoding, the field numbers the
//   type does not define) or { id, error }. It is also round-tripped through ts-proto's generated
//   code, the code under test, reported as tsProto: { json, hex } or tsProto: { error }.
// - the compat golden files ({ vectors: [{ name, type, hex }] }): ts-proto alone, one JSON object.
//
// It judges nothing (interop/vectors/ and interop/compat/vectors.ts do).
//
// Usage: vectors.ts [--descriptor-set F] --vectors FILE
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { canonicalJson, descriptorSetPath, loadContract, stringifyJson, type Contract } from "./driver-kit/contract.js";
import { loadMessageTypes, type MessageFns } from "./message-types.js";

function goldenRoundTrip(types: Map<string, MessageFns>, v: { name: string; type: string; hex: string }) {
  const type = types.get(v.type);
  if (!type) return { name: v.name, unknownFields: [], missingType: true };
  try {
    const message = type.decode(Buffer.from(v.hex, "hex"));
    return { name: v.name, unknownFields: [], hex: Buffer.from(type.encode(message).finish()).toString("hex") };
  } catch (e) {
    return { name: v.name, unknownFields: [], error: `decode: ${(e as Error).message}` };
  }
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** Decode with the contract's types; canonical JSON, re-encoding and unknown field numbers. */
function dynamicLeg(contract: Contract, type: string, bytes: Uint8Array) {
  const schema = contract.registry.getMessage(type);
  if (!schema) throw new Error(`no message ${type} in the descriptor set`);
  const message = fromBinary(schema, bytes);
  const unknown = [...new Set(((message as { $unknown?: { no: number }[] }).$unknown ?? []).map((u) => u.no))].sort((a, b) => a - b);
  return { json: canonicalJson(contract, schema, message), hex: hex(toBinary(schema, message)), unknown };
}

/** ts-proto's decode then encode; the result read back through the contract for its JSON. */
function tsProtoLeg(contract: Contract, types: Map<string, MessageFns>, type: string, bytes: Uint8Array) {
  const fns = types.get(type);
  if (!fns) return undefined; // no generated code for it (e.g. grpc.testing): only the dynamic leg
  let reencoded: Uint8Array;
  try {
    reencoded = fns.encode(fns.decode(bytes)).finish();
  } catch (e) {
    return { error: (e as Error).message };
  }
  try {
    const schema = contract.registry.getMessage(type)!;
    return { json: canonicalJson(contract, schema, fromBinary(schema, reencoded)), hex: hex(reencoded) };
  } catch (e) {
    return { error: `its re-encoding ${hex(reencoded)} is not a valid ${type}: ${(e as Error).message}`, hex: hex(reencoded) };
  }
}

const { values } = parseArgs({ options: { vectors: { type: "string" }, "descriptor-set": { type: "string" } } });
if (!values.vectors) {
  console.error("ts-vectors: usage: vectors.ts [--descriptor-set F] --vectors FILE");
  process.exit(2);
}
const doc = JSON.parse(readFileSync(values.vectors, "utf8"));
const types = await loadMessageTypes();
if (Array.isArray(doc)) {
  const contract = loadContract(descriptorSetPath(values["descriptor-set"]));
  for (const v of doc as { id: string; type: string; hex: string }[]) {
    const bytes = Buffer.from(v.hex, "hex");
    let line: Record<string, unknown>;
    try {
      line = { id: v.id, ...dynamicLeg(contract, v.type, bytes) };
    } catch (e) {
      line = { id: v.id, error: (e as Error).message };
    }
    const tsProto = tsProtoLeg(contract, types, v.type, bytes);
    process.stdout.write(stringifyJson(tsProto ? { ...line, tsProto } : line) + "\n");
  }
} else {
  console.log(JSON.stringify({ language: "ts", results: doc.vectors.map((v: { name: string; type: string; hex: string }) => goldenRoundTrip(types, v)) }));
}
