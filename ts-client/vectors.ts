// TS golden-vector check: for each vector, find the ts-proto message by full name, decode the
// golden bytes, encode again and print what came out. It judges nothing
// (interop/compat/vectors.ts does).
//
// ts-proto names a message's const after the message (nested ones Outer_Inner) and exports the
// file's package as `protobufPackage`, which is all we need to look types up generically.
// ts-proto keeps no unknown fields unless generated with unknownFields=true (not the case here),
// so it cannot report them: unknownFields is always [] and the bytes show what was dropped.
//
// Usage: vectors.ts --vectors FILE   (prints one JSON object on stdout)
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { importGenerated } from "./registry.js";

interface MessageFns {
  decode(input: Uint8Array): unknown;
  encode(message: unknown): { finish(): Uint8Array };
}

async function loadMessageTypes(): Promise<Map<string, MessageFns>> {
  const types = new Map<string, MessageFns>();
  for (const mod of await importGenerated()) {
    const pkg = typeof mod.protobufPackage === "string" && mod.protobufPackage ? `${mod.protobufPackage}.` : "";
    for (const [name, value] of Object.entries(mod)) {
      const fns = value as Partial<MessageFns>;
      if (typeof fns?.decode === "function" && typeof fns.encode === "function") types.set(pkg + name.replaceAll("_", "."), fns as MessageFns);
    }
  }
  return types;
}

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
