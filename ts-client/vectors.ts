// TS golden-vector check: for each vector, find the ts-proto message by full name, decode the
// golden bytes, encode again and print what came out. It judges nothing
// (interop/compat/vectors.ts does).
//
// ts-proto keeps no unknown fields unless generated with unknownFields=true (not the case here),
// so it cannot report them: unknownFields is always [] and the bytes show what was dropped.
//
// Usage: vectors.ts --vectors FILE   (prints one JSON object on stdout)
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadMessageTypes, type MessageFns } from "./message-types.js";

function roundTrip(types: Map<string, MessageFns>, v: { name: string; type: string; hex: string }) {
  const type = types.get(v.type);
  if (!type) return { name: v.name, unknownFields: [], missingType: true };
  try {
    const message = type.decode(Buffer.from(v.hex, "hex"));
    return { name: v.name, unknownFields: [], hex: Buffer.from(type.encode(message).finish()).toString("hex") };
  } catch (e) {
    return { name: v.name, unknownFields: [], error: `decode: ${(e as Error).message}` };
  }
}

const { values } = parseArgs({ options: { vectors: { type: "string" } } });
if (!values.vectors) {
  console.error("ts-vectors: usage: vectors.ts --vectors FILE");
  process.exit(2);
}
const { vectors } = JSON.parse(readFileSync(values.vectors, "utf8"));
const types = await loadMessageTypes();
console.log(JSON.stringify({ language: "ts", results: vectors.map((v: { name: string; type: string; hex: string }) => roundTrip(types, v)) }));
