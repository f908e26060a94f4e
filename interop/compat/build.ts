// Builds the peers from one end's protos (base or working tree): the same peer source as ever,
// code generated from those protos, into .build/compat/<hash of the protos>/. The hash makes a
// rebuild of an unchanged contract free, and lets the base and the working tree share a build
// when their protos are the same.
import { cpSync, existsSync, readdirSync, rmSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { BUILD_DIR } from "../paths.js";
import type { PeerBuild } from "../peers.js";
import { buildDescriptorSet, buildGoPeers, generate, protoFiles } from "../../scripts/prepare.js";
import { hashFiles } from "../../scripts/lib/stamp.js";

export const COMPAT_BUILD_DIR = join(BUILD_DIR, "compat");
/** Builds kept on disk (each ~50 MB of Go binaries); the least recently used go first. */
const KEEP_BUILDS = 6;

export interface ContractBuild extends PeerBuild {
  label: string;
  /** Why the Go peers could not be built from these protos (peer source no longer compiles). */
  goError?: string;
}

export async function buildContract(label: string, protoDir: string): Promise<ContractBuild> {
  const files = protoFiles(protoDir);
  const outDir = join(COMPAT_BUILD_DIR, hashFiles(files, "", protoDir).slice(0, 16));
  const dirs = { protoDir: join(outDir, "proto"), outDir, binDir: join(outDir, "bin") };
  if (!existsSync(dirs.protoDir)) cpSync(protoDir, dirs.protoDir, { recursive: true });
  const now = new Date();
  utimesSync(outDir, now, now); // most recently used, for pruning
  await generate(false, dirs);
  const build: ContractBuild = { label, outDir, binDir: dirs.binDir };
  try {
    await buildGoPeers(dirs);
    await buildDescriptorSet(dirs);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    build.goError = e.message; // e.g. the peer names a message this contract renamed
  }
  pruneBuilds(outDir);
  return build;
}

function pruneBuilds(inUse: string) {
  const builds = readdirSync(COMPAT_BUILD_DIR)
    .map((d) => join(COMPAT_BUILD_DIR, d))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const dir of builds.slice(KEEP_BUILDS)) if (dir !== inUse) rmSync(dir, { recursive: true, force: true });
}
