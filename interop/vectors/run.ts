// npm run vectors, the contract-wide part: generate (seeded), run every language, compare.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUILD_DIR, REPORTS_DIR } from "../paths.js";
import { CLIENTS, vectorCommands, type Command } from "../peers.js";
import { loadContract } from "../../ts-client/driver-kit/contract.js";
import { applyKnown, compareAll, loadKnownDifferences, runProgram, typesWithMaps, writeVectorsFile } from "./cross-check.js";
import { generateVectors } from "./generate.js";

export interface ContractVectorsResult {
  seed: number;
  vectors: number;
  types: number;
  failures: { vector: string; language: string; what: string }[];
  accepted: { vector: string; language: string; what: string; reason: string }[];
  stale: { language: string; vector: string; difference: string; reason: string }[];
}

export async function checkContractVectors(seed = 1, commands: Record<string, Command> = vectorCommands()): Promise<ContractVectorsResult> {
  const contract = loadContract();
  const vectors = generateVectors(contract, seed);
  const dir = join(BUILD_DIR, "vectors");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `contract-seed-${seed}.json`);
  writeVectorsFile(file, vectors);
  const runs = await Promise.all(CLIENTS.map((lang) => runProgram(lang, commands[lang], file).catch((e: Error) => e)));
  const results = Object.fromEntries(CLIENTS.map((lang, i) => [lang, runs[i]]));
  const { failures, accepted, stale } = applyKnown(compareAll(vectors, results, typesWithMaps(contract)), loadKnownDifferences());
  const result = { seed, vectors: vectors.length, types: new Set(vectors.map((v) => v.type)).size, failures, accepted, stale };
  mkdirSync(REPORTS_DIR, { recursive: true });
  writeFileSync(join(REPORTS_DIR, "vectors.json"), JSON.stringify(result, null, 2) + "\n");
  return result;
}

/** The terminal summary: every new difference and stale entry, known ones counted by reason. */
export function printContractVectors(r: ContractVectorsResult): void {
  const log = (s: string) => console.error(s);
  log(`vectors: ${r.vectors} generated vectors over ${r.types} message types (seed ${r.seed}), decoded by go (reference), python, ts and ts-proto`);
  for (const f of r.failures) log(`  ✗ ${f.language} ${f.vector}: ${f.what}`);
  const byReason = new Map<string, number>();
  for (const a of r.accepted) byReason.set(`${a.language}: ${a.reason}`, (byReason.get(`${a.language}: ${a.reason}`) ?? 0) + 1);
  for (const [reason, n] of byReason) log(`  ~ ${n} known: ${reason}`);
  for (const s of r.stale) log(`  ✗ stale entry in fixtures/vectors/contract-differences.json (${s.language} ${s.vector} /${s.difference}/): no such difference any more, remove it`);
  log(`vectors: ${r.failures.length} difference(s), ${r.accepted.length} known, ${r.stale.length} stale entr(ies); reports/vectors.json`);
}
