// Vectors for every message type of the contract (README: Every message type), generated from the descriptor set
// with seeded edge values, so a run repeats and a new .proto is covered without a list to keep.
// Per type: the empty message, EDGE_VECTORS messages with every field set to an edge value of its
// kind (nested and repeated messages, maps, one oneof member in turn, an unknown enum number
// now and then), and the first of those with an unknown field appended.
import { create, ScalarType, toBinary, type DescField, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import type { Contract } from "../../ts-client/driver-kit/contract.js";

export interface ContractVector {
  id: string;
  type: string;
  hex: string;
}

const EDGE_VECTORS = 3;
const MAX_DEPTH = 2;

const I64 = [9223372036854775807n, -9223372036854775808n, 9007199254740993n, -9007199254740993n, 0n, -1n];
const U64 = [18446744073709551615n, 9007199254740993n, 0n, 1n];
const I32 = [2147483647, -2147483648, -1, 0, 1];
const U32 = [4294967295, 2147483648, 0, 1];
const DOUBLES = [NaN, Infinity, -Infinity, -0, 0, 1.5, Number.MAX_VALUE, Number.MIN_VALUE, 0.1];
// float32 values: each is exactly representable, so every language reads the same number.
const FLOATS = [NaN, Infinity, -Infinity, -0, 0, 0.5, -2.25, 3.4028234663852886e38, 1.401298464324817e-45];
const STRINGS = ["", "𝄞 non-BMP", "héllo 世界", "a\u0000b", "x".repeat(64)];
const BYTES = [new Uint8Array(0), Uint8Array.of(0, 0xff, 0x80), Uint8Array.from({ length: 16 }, (_, i) => (i * 37) & 0xff)];

/** A small seeded PRNG (mulberry32): the same seed gives the same vectors. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hashOf = (s: string) => [...s].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);

function scalarEdge(t: ScalarType, pick: <T>(xs: T[]) => T): unknown {
  switch (t) {
    case ScalarType.INT64: case ScalarType.SINT64: case ScalarType.SFIXED64: return pick(I64);
    case ScalarType.UINT64: case ScalarType.FIXED64: return pick(U64);
    case ScalarType.INT32: case ScalarType.SINT32: case ScalarType.SFIXED32: return pick(I32);
    case ScalarType.UINT32: case ScalarType.FIXED32: return pick(U32);
    case ScalarType.DOUBLE: return pick(DOUBLES);
    case ScalarType.FLOAT: return pick(FLOATS);
    case ScalarType.BOOL: return pick([true, false]);
    case ScalarType.STRING: return pick(STRINGS);
    case ScalarType.BYTES: return pick(BYTES);
  }
}

/** Map keys are JS object keys: 64-bit and bool keys as their text. */
const mapKey = (t: ScalarType, pick: <T>(xs: T[]) => T) => String(scalarEdge(t === ScalarType.STRING ? t : t, pick));

/** Valid values for the well-known types whose JSON form has a range; other WKTs stay unset. */
function wellKnown(m: DescMessage, pick: <T>(xs: T[]) => T): MessageInitShape<DescMessage> | undefined | null {
  if (m.typeName === "google.protobuf.Timestamp") return pick([{ seconds: 0n, nanos: 0 }, { seconds: 253402300799n, nanos: 999999999 }, { seconds: -62135596800n, nanos: 0 }, { seconds: 1700000000n, nanos: 123000000 }]);
  if (m.typeName === "google.protobuf.Duration") return pick([{ seconds: 0n, nanos: 0 }, { seconds: 315576000000n, nanos: 999999999 }, { seconds: -315576000000n, nanos: -999999999 }, { seconds: 1n, nanos: 500000000 }]);
  if (m.typeName.startsWith("google.protobuf.") && !m.typeName.endsWith("Value")) return null; // Any, Struct, FieldMask, ...: left unset
  if (["google.protobuf.Value", "google.protobuf.ListValue"].includes(m.typeName)) return null;
  return undefined; // not special
}

class Generator {
  constructor(private readonly random: () => number) {}
  pick = <T>(xs: T[]): T => xs[Math.floor(this.random() * xs.length)];

  message(m: DescMessage, depth: number, variant: number): MessageInitShape<DescMessage> {
    const special = wellKnown(m, this.pick);
    if (special !== undefined) return special ?? {};
    const init: Record<string, unknown> = {};
    for (const field of m.fields) {
      if (field.oneof) continue;
      const value = this.field(field, depth);
      if (value !== undefined) init[field.localName] = value;
    }
    for (const oneof of m.oneofs) {
      const member = oneof.fields[variant % oneof.fields.length]; // each member in turn across the vectors
      const value = this.single(member, depth);
      if (value !== undefined) init[oneof.localName] = { case: member.localName, value };
    }
    return init as MessageInitShape<DescMessage>;
  }

  private enumValue(f: { enum: { values: { number: number }[] } }): number {
    // Now and then a number the enum does not define: it must survive as a number.
    return this.random() < 0.2 ? 99 : this.pick(f.enum.values).number;
  }

  private single(f: DescField, depth: number): unknown {
    if (f.fieldKind === "scalar") return scalarEdge(f.scalar, this.pick);
    if (f.fieldKind === "enum") return this.enumValue(f);
    if (f.fieldKind === "message") return depth < MAX_DEPTH ? create(f.message, this.message(f.message, depth + 1, Math.floor(this.random() * 4))) : undefined;
    return undefined;
  }

  private field(f: DescField, depth: number): unknown {
    if (f.fieldKind === "list") {
      const n = depth < MAX_DEPTH ? 1 + Math.floor(this.random() * 3) : 0;
      return Array.from({ length: n }, () => {
        if (f.listKind === "scalar") return scalarEdge(f.scalar, this.pick);
        if (f.listKind === "enum") return this.enumValue(f);
        return create(f.message, this.message(f.message, depth + 1, Math.floor(this.random() * 4)));
      }).filter((v) => v !== undefined);
    }
    if (f.fieldKind === "map") {
      const n = depth < MAX_DEPTH ? Math.floor(this.random() * 3) : 0;
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const value = f.mapKind === "scalar" ? scalarEdge(f.scalar, this.pick) : f.mapKind === "enum" ? this.enumValue(f) : create(f.message, this.message(f.message, depth + 1, i));
        out[mapKey(f.mapKey, this.pick)] = value;
      }
      return out;
    }
    return this.single(f, depth);
  }
}

/** A field number the type does not define, appended after the known fields (varint 150). */
function withUnknownField(m: DescMessage, bytes: Uint8Array): { bytes: Uint8Array; no: number } {
  const no = Math.max(0, ...m.fields.map((f) => f.number)) + 1000;
  const w = new BinaryWriter();
  w.tag(no, WireType.Varint).uint64(150);
  return { bytes: Uint8Array.from([...bytes, ...w.finish()]), no };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** Every message type of the contract (map entries excepted), seeded. */
export function generateVectors(contract: Contract, seed = 1): ContractVector[] {
  const vectors: ContractVector[] = [];
  const messages = [...contract.registry].filter((t): t is DescMessage => t.kind === "message" && !t.proto.options?.mapEntry);
  for (const m of messages.sort((a, b) => a.typeName.localeCompare(b.typeName))) {
    const gen = new Generator(prng(seed ^ hashOf(m.typeName)));
    vectors.push({ id: `${m.typeName}#empty`, type: m.typeName, hex: "" });
    let first: Uint8Array | undefined;
    for (let k = 0; k < EDGE_VECTORS; k++) {
      const bytes = toBinary(m, create(m, gen.message(m, 0, k)));
      first ??= bytes;
      vectors.push({ id: `${m.typeName}#edges-${k}`, type: m.typeName, hex: hex(bytes) });
    }
    const unknown = withUnknownField(m, first!);
    vectors.push({ id: `${m.typeName}#unknown-${unknown.no}`, type: m.typeName, hex: hex(unknown.bytes) });
  }
  return vectors;
}
