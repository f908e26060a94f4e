// Every language decodes every generated vector (README: Every message type) and the decoded content is compared
// across languages: canonical JSON, the field numbers left unknown, and the re-encoded bytes
// where the encoding is canonical (no maps: their order on the wire is each library's choice).
// protobuf-go is the reference each other leg is compared with: python, ts (@bufbuild/protobuf on
// the descriptor set) and ts-proto (the generated code under test, round-tripped by the TS program).
// A difference that is real library behaviour is listed in fixtures/vectors/contract-differences.json,
// pinned by a regex on the exact difference; an entry that matches nothing is stale and fails.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import type { DescMessage } from "@bufbuild/protobuf";
import { BinaryReader } from "@bufbuild/protobuf/wire";
import { DESCRIPTOR_SET, FIXTURES_DIR, ROOT } from "../paths.js";
import type { Command } from "../peers.js";
import { globMatch } from "../glob.js";
import { lastLine } from "../runtime/types.js";
import type { Contract } from "../../ts-client/driver-kit/contract.js";
import type { ContractVector } from "./generate.js";

export const REFERENCE = "go";
export const LEGS = ["python", "ts", "ts-proto"] as const;
export const CONTRACT_DIFFERENCES = join(FIXTURES_DIR, "vectors", "contract-differences.json");

interface Decoded {
  json?: unknown;
  hex?: string;
  unknown?: number[];
  error?: string;
}
type Line = Decoded & { id: string; tsProto?: Decoded };

export interface Difference {
  vector: string;
  language: string;
  what: string;
}

export interface KnownDifference {
  /** Glob on the leg: python, ts, ts-proto. */
  language: string;
  /** Glob on vector ids ("acme.catalog.v1.Product#*"). */
  vector: string;
  /** Regex the difference must match: the exact difference it documents. */
  difference: string;
  reason: string;
}

/** Runs one language's program over the vectors file: its lines by vector id. */
export async function runProgram(language: string, cmd: Command, file: string, descriptorSet = DESCRIPTOR_SET): Promise<Map<string, Line>> {
  const r = await execa(cmd.file, [...cmd.args, "--descriptor-set", descriptorSet, "--vectors", file], { cwd: ROOT, env: cmd.env, reject: false, timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
  if (r.failed) throw new Error(`the ${language} vectors program failed: ${r.timedOut ? "timed out" : String(r.stderr).trim() ? lastLine(String(r.stderr)) : r.shortMessage}`);
  const lines = String(r.stdout).split("\n").filter(Boolean);
  try {
    return new Map(lines.map((l) => JSON.parse(l) as Line).map((l) => [l.id, l]));
  } catch {
    throw new Error(`the ${language} vectors program printed a line that is not JSON: ${lines.find((l) => { try { JSON.parse(l); return false; } catch { return true; } })?.slice(0, 200)}`);
  }
}

const show = (v: unknown) => (typeof v === "number" && Object.is(v, -0) ? "-0" : JSON.stringify(v) ?? "undefined");
const cut = (s: string, n = 120) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Where two JSON values differ, as "path: value (reference: value)" lines. */
function jsonDiff(path: string, got: unknown, want: unknown, out: string[]) {
  if (out.length >= 3) return;
  if (typeof got === "number" && typeof want === "number") {
    if (!Object.is(got, want)) out.push(`json ${path || "."}: ${show(got)} (${REFERENCE}: ${show(want)})`);
    return;
  }
  const isObj = (v: unknown) => typeof v === "object" && v !== null;
  if (Array.isArray(got) && Array.isArray(want)) {
    if (got.length !== want.length) out.push(`json ${path || "."}: ${got.length} item(s) (${REFERENCE}: ${want.length})`);
    else got.forEach((g, i) => jsonDiff(`${path}[${i}]`, g, want[i], out));
    return;
  }
  if (isObj(got) && isObj(want) && !Array.isArray(got) && !Array.isArray(want)) {
    const keys = [...new Set([...Object.keys(got as object), ...Object.keys(want as object)])].sort();
    for (const k of keys) jsonDiff(`${path}.${k}`, (got as Record<string, unknown>)[k], (want as Record<string, unknown>)[k], out);
    return;
  }
  if (show(got) !== show(want)) out.push(`json ${path || "."}: ${cut(show(got))} (${REFERENCE}: ${cut(show(want))})`);
}

/** Types whose encoding is canonical across libraries: no map anywhere inside. */
export function typesWithMaps(contract: Contract): Set<string> {
  const memo = new Map<string, boolean>();
  const hasMap = (m: DescMessage, seen: Set<string>): boolean => {
    if (memo.has(m.typeName)) return memo.get(m.typeName)!;
    if (seen.has(m.typeName)) return false;
    seen.add(m.typeName);
    const r = m.fields.some((f) => f.fieldKind === "map" || ((f.fieldKind === "message" || (f.fieldKind === "list" && f.listKind === "message")) && hasMap(f.message!, seen)));
    memo.set(m.typeName, r);
    return r;
  };
  const out = new Set<string>();
  for (const t of contract.registry) if (t.kind === "message" && hasMap(t, new Set())) out.add(t.typeName);
  return out;
}

/** One leg against the reference, for one vector. */
function compareLeg(v: ContractVector, language: string, got: Decoded | undefined, want: Decoded, canonicalBytes: boolean): string[] {
  if (!got) return [language === "ts-proto" ? "no ts-proto round trip (no generated code for the type?)" : "no line for this vector"];
  if (got.error || want.error) {
    if (got.error && want.error) return []; // both reject the bytes
    return [got.error ? `error: ${cut(got.error, 400)} (${REFERENCE} decodes it)` : `decodes what ${REFERENCE} rejects (${cut(want.error!, 400)})`];
  }
  const out: string[] = [];
  jsonDiff("", got.json, want.json, out);
  if (language !== "ts-proto" && show([...(got.unknown ?? [])].sort()) !== show([...(want.unknown ?? [])].sort())) out.push(`unknown fields ${show(got.unknown)} (${REFERENCE}: ${show(want.unknown)})`);
  if (got.hex !== want.hex) {
    const what = bytesDifference(got.hex ?? "", want.hex ?? "", want.unknown ?? []);
    if (what && (canonicalBytes || what.startsWith("dropped"))) out.push(what);
  }
  return out;
}

/** The top-level field records of an encoding, as [field number, record hex]; undefined if it does not parse. */
function records(hexText: string): [number, string][] | undefined {
  const bytes = Buffer.from(hexText, "hex");
  const reader = new BinaryReader(bytes);
  const out: [number, string][] = [];
  try {
    while (reader.pos < reader.len) {
      const start = reader.pos;
      const [no, wireType] = reader.tag();
      reader.skip(wireType, no);
      out.push([no, bytes.subarray(start, reader.pos).toString("hex")]);
    }
  } catch {
    return undefined;
  }
  return out;
}

/**
 * Names how two re-encodings differ: the unknown fields dropped, the same fields in another
 * order, or just the bytes. Undefined when they hold the same records in the same order.
 */
function bytesDifference(got: string, want: string, unknown: number[]): string | undefined {
  const g = records(got);
  const w = records(want);
  if (g && w) {
    const kept = w.filter(([no]) => !unknown.includes(no));
    const key = (rs: [number, string][]) => rs.map(([, r]) => r).sort().join();
    if (unknown.length && key(g) === key(kept)) return `dropped unknown field(s) ${show(unknown)} on re-encode`;
    if (key(g) === key(w)) return `field order on the wire: ${g.map(([no]) => no).join(",")} (${REFERENCE}: ${w.map(([no]) => no).join(",")})`;
  }
  return `re-encoded ${cut(got, 60) || "(empty)"} (${REFERENCE}: ${cut(want, 60) || "(empty)"})`;
}

export function compareAll(vectors: ContractVector[], results: Record<string, Map<string, Line> | Error>, withMaps: Set<string>): Difference[] {
  const diffs: Difference[] = [];
  const ref = results[REFERENCE];
  for (const lang of [REFERENCE, ...LEGS]) {
    const r = results[lang === "ts-proto" ? "ts" : lang];
    if (r instanceof Error) diffs.push({ vector: "*", language: lang, what: r.message });
  }
  if (ref instanceof Error) return diffs;
  for (const v of vectors) {
    const want = ref.get(v.id);
    if (!want) {
      diffs.push({ vector: v.id, language: REFERENCE, what: "no line for this vector" });
      continue;
    }
    for (const lang of LEGS) {
      const r = results[lang === "ts-proto" ? "ts" : lang];
      if (r instanceof Error) continue;
      const line = r.get(v.id);
      const got = lang === "ts-proto" ? line?.tsProto : line;
      if (lang === "ts-proto" && line && !line.tsProto) continue; // the type has no ts-proto code
      for (const what of compareLeg(v, lang, got, want, !withMaps.has(v.type))) diffs.push({ vector: v.id, language: lang, what });
    }
  }
  return diffs;
}

export function loadKnownDifferences(file = CONTRACT_DIFFERENCES): KnownDifference[] {
  return (JSON.parse(readFileSync(file, "utf8")) as { entries: KnownDifference[] }).entries;
}

/** Splits differences into known (matched by an entry) and new ones; entries that matched nothing are stale. */
export function applyKnown(diffs: Difference[], known: KnownDifference[]) {
  const used = new Set<KnownDifference>();
  const failures: (Difference & { reason?: string })[] = [];
  const accepted: (Difference & { reason: string })[] = [];
  for (const d of diffs) {
    const entry = known.find((k) => globMatch(k.language, d.language) && globMatch(k.vector, d.vector) && new RegExp(k.difference).test(d.what));
    if (entry) {
      used.add(entry);
      accepted.push({ ...d, reason: entry.reason });
    } else failures.push(d);
  }
  return { failures, accepted, stale: known.filter((k) => !used.has(k)) };
}

export function writeVectorsFile(file: string, vectors: ContractVector[]) {
  writeFileSync(file, JSON.stringify(vectors));
}
