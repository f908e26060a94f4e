// `npm run compat`: is the working tree's contract wire-compatible with the base's? Three checks
// (static, vectors, dynamic) and one verdict. The repository is a parameter so that tests can
// run it on a throwaway repository instead of editing this one's proto/.
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { prepare } from "../../scripts/prepare.js";
import { buildContract } from "./build.js";
import { compileContract, diffContracts, type Change, type Contract } from "./descriptors.js";
import { runDynamicCheck, type DynamicResult } from "./dynamic-check.js";
import { checkRepository, extractProtos, resolveBase, type Base } from "./git.js";
import { runStaticCheck, type StaticResult } from "./static-check.js";
import { checkVectors, type VectorOutcome } from "./vectors.js";
import { runDeclaredCheck, type DeclaredResult } from "./declared.js";
import { relative } from "node:path";
import { readConfig } from "../config/load.js";

/** npm run compat -- --config FILE: the config's protos, its declared peers, the stubs and built-in drivers. */
async function runDeclaredCompat({ repo, base: ref, config: configFile, allowUncovered }: CompatOptions): Promise<CompatResult> {
  const start = performance.now();
  await checkRepository(repo);
  const config = readConfig(configFile!);
  const protoSubdir = relative(repo, config.protosDir);
  if (protoSubdir.startsWith("..")) throw new UsageError(`${config.shown}: protos: ${config.protosDir} is outside ${repo}: pass --repo the repository that holds them`);
  const base = await resolveBase(repo, ref);
  const baseDir = await extractProtos(repo, base, protoSubdir);
  try {
    const work = await compileContract(repo, "working tree's", "fix the .proto and run again", protoSubdir);
    const old = await compileContract(baseDir, `base ${base.ref} (${base.commit.slice(0, 12)})`, "pass --base a commit whose protos compile", protoSubdir);
    const changes = diffContracts(old, work);
    const staticResult = await runStaticCheck(repo, baseDir, protoSubdir);
    await prepare();
    const declared = await runDeclaredCheck(configFile!, repo, baseDir, { base: old, work }, changes);
    const unseen = declared.sent.filter((s) => s.seenBy.length === 0);
    const breaking = staticResult.violations.length > 0 || declared.cells.some((c) => c.status === "failed") || unseen.length > 0;
    const verdict = breaking ? "BREAKING" : declared.uncovered.length && !allowUncovered ? "UNCOVERED" : "COMPATIBLE";
    return {
      verdict, repo, base, changes, static: staticResult, vectors: [], dynamic: { cells: declared.cells, notes: declared.notes },
      uncovered: declared.uncovered, sent: declared.sent, durationMs: Math.round(performance.now() - start), contracts: { base: old, work },
    };
  } finally {
    rmSync(baseDir, { recursive: true, force: true });
  }
}

export interface CompatOptions {
  /** The git repository whose proto/ is compared (the working tree) with its history (the base). */
  repo: string;
  /** A git ref; undefined picks the default (see resolveBase). */
  base?: string;
  /** --config: check the declared peers of this interop.config.yaml on its own protos. */
  config?: string;
  /** --allow-uncovered: a touched package no case exercises does not stop COMPATIBLE. */
  allowUncovered?: boolean;
}

export interface CompatResult {
  /** UNCOVERED: nothing broke, but a touched package has no case (see --allow-uncovered). */
  verdict: "COMPATIBLE" | "BREAKING" | "UNCOVERED";
  repo: string;
  base: Base;
  changes: Change[];
  static: StaticResult;
  vectors: VectorOutcome[];
  dynamic: DynamicResult;
  /** --config: touched packages no case exercises. */
  uncovered?: string[];
  /** --config: each added value the new clients sent, and the stub cells that decoded it. */
  sent?: DeclaredResult["sent"];
  durationMs: number;
  /** Kept for the report to explain failures; not written to JSON. */
  contracts: { base: Contract; work: Contract };
}

export async function runCompat(options: CompatOptions): Promise<CompatResult> {
  if (options.config) return runDeclaredCompat(options);
  const { repo, base: ref } = options;
  const start = performance.now();
  await checkRepository(repo);
  if (!existsSync(join(repo, "proto"))) throw new UsageError(`${repo} has no proto/ directory: run npm run compat in the project's root`);
  const base = await resolveBase(repo, ref);
  const baseDir = await extractProtos(repo, base);
  try {
    // Both ends must compile before anything else, each named in the error.
    const work = await compileContract(repo, "working tree's", "fix the .proto and run again");
    const old = await compileContract(baseDir, `base ${base.ref} (${base.commit.slice(0, 12)})`, "pass --base a commit whose protos compile");
    const changes = diffContracts(old, work);
    const staticResult = await runStaticCheck(repo, baseDir);

    await prepare(); // toolchains, venv, Go plugins, and the project's own build
    const baseBuild = await buildContract("base", join(baseDir, "proto"));
    const workBuild = await buildContract("working tree", join(repo, "proto"));
    // The golden vectors are judged with the code of the contract about to be merged.
    const vectors = await checkVectors(workBuild);
    const dynamic = await runDynamicCheck(baseBuild, workBuild, { base: old, work }, changes);

    const breaking = staticResult.violations.length > 0 || vectors.some((v) => v.status === "failed") || dynamic.cells.some((c) => c.status === "failed");
    return {
      verdict: breaking ? "BREAKING" : "COMPATIBLE",
      repo,
      base,
      changes,
      static: staticResult,
      vectors,
      dynamic,
      durationMs: Math.round(performance.now() - start),
      contracts: { base: old, work },
    };
  } finally {
    rmSync(baseDir, { recursive: true, force: true });
  }
}
