// Golden vectors: fixtures/vectors/*.json hold messages with their canonical encoding. Each
// language's program (go-vectors, vectors.py, ts-client/vectors.ts) decodes every vector and
// encodes it again; here the bytes are judged against the golden ones, so all languages agree
// byte for byte. Vectors that carry unknown fields must come back with them, except in a
// language listed in known-differences.json as dropping them, which is reported as such.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { FIXTURES_DIR, ROOT } from "../paths.js";
import { CLIENTS, vectorCommands, type PeerBuild } from "../peers.js";
import { lastLine } from "../runtime/types.js";

export const VECTORS_DIR = join(FIXTURES_DIR, "vectors");

export interface Vector {
  name: string;
  /** Full message name, e.g. "greeter.HelloRequest". */
  type: string;
  /** The message in proto3 JSON, for review; the bytes are what is checked. */
  value: unknown;
  /** The canonical encoding, hex. */
  hex: string;
  /** Field numbers in `hex` that the contract does not define (appended after the known fields). */
  unknownFields?: number[];
  /** `hex` without the unknown fields: what a language that drops them encodes. */
  knownHex?: string;
}

interface ProgramResult {
  name: string;
  hex?: string;
  unknownFields: number[];
  missingType?: boolean;
  error?: string;
}

interface KnownDifference {
  language: string;
  difference: "drops-unknown-fields";
  reason: string;
}

export interface VectorOutcome {
  language: string;
  vector: string;
  type: string;
  status: "passed" | "failed" | "known-difference" | "skipped";
  detail?: string;
  /** Why a known difference is accepted (from known-differences.json). */
  reason?: string;
}

// *differences.json are the lists of known differences (this check's and npm run vectors' contract-wide one).
const VECTOR_FILES = () => readdirSync(VECTORS_DIR).filter((f) => f.endsWith(".json") && !f.endsWith("differences.json")).sort();

export function loadVectors(): { file: string; vectors: Vector[] }[] {
  return VECTOR_FILES().map((f) => ({ file: join(VECTORS_DIR, f), vectors: JSON.parse(readFileSync(join(VECTORS_DIR, f), "utf8")).vectors as Vector[] }));
}

function loadKnownDifferences(): KnownDifference[] {
  return JSON.parse(readFileSync(join(VECTORS_DIR, "known-differences.json"), "utf8")).entries;
}

async function runProgram(language: string, build: PeerBuild | undefined, file: string): Promise<Map<string, ProgramResult>> {
  const cmd = vectorCommands(build)[language as keyof ReturnType<typeof vectorCommands>];
  const r = await execa(cmd.file, [...cmd.args, "--vectors", file], { cwd: ROOT, env: cmd.env, reject: false, timeout: 60_000 });
  if (r.failed) throw new Error(`the ${language} vectors program failed: ${r.timedOut ? "timed out" : String(r.stderr).trim() ? lastLine(String(r.stderr)) : r.shortMessage}`);
  const out = JSON.parse(String(r.stdout).trim().split("\n").pop() ?? "{}") as { results: ProgramResult[] };
  return new Map(out.results.map((x) => [x.name, x]));
}

function judge(language: string, v: Vector, r: ProgramResult | undefined, known: KnownDifference[]): VectorOutcome {
  const outcome = (status: VectorOutcome["status"], detail?: string): VectorOutcome => ({ language, vector: v.name, type: v.type, status, detail });
  if (!r) return outcome("failed", "no result from the program");
  if (r.missingType) return outcome("skipped", `${v.type} is not in this contract`);
  if (r.error) return outcome("failed", `${v.type}: ${r.error}`);
  const declared = new Set(v.unknownFields ?? []);
  const strange = r.unknownFields.filter((n) => !declared.has(n));
  if (strange.length) return outcome("failed", `${v.type}: field ${strange.join(", ")} of the golden bytes is unknown to this contract (removed, renumbered or retyped?)`);
  const drops = known.find((k) => k.language === language && k.difference === "drops-unknown-fields");
  if (r.hex === v.hex) {
    if (drops && declared.size) return outcome("failed", `kept unknown field(s) ${[...declared].join(", ")}, but known-differences.json says ${language} drops them: remove the stale entry`);
    return outcome("passed");
  }
  if (declared.size && r.hex === v.knownHex) {
    const what = `dropped unknown field(s) ${[...declared].join(", ")} on re-encode`;
    return drops ? { ...outcome("known-difference", what), reason: drops.reason } : outcome("failed", `${what} (golden ${v.hex}, got ${r.hex})`);
  }
  return outcome("failed", `${v.type}: re-encoded ${r.hex || "(empty)"}, golden ${v.hex || "(empty)"}`);
}

/** Runs every language's program over every vector file, with one build's generated code. */
export async function checkVectors(build?: PeerBuild): Promise<VectorOutcome[]> {
  const known = loadKnownDifferences();
  const outcomes: VectorOutcome[] = [];
  for (const { file, vectors } of loadVectors()) {
    // A program that cannot run (e.g. no Go build for this contract) fails each of its vectors.
    const results = await Promise.all(CLIENTS.map((lang) => runProgram(lang, build, file).catch((e: Error) => e)));
    CLIENTS.forEach((lang, i) => {
      const r = results[i];
      for (const v of vectors) {
        outcomes.push(r instanceof Error ? { language: lang, vector: v.name, type: v.type, status: "failed", detail: r.message } : judge(lang, v, r.get(v.name), known));
      }
    });
  }
  return outcomes;
}
