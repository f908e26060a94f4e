// What a config needs before a run, after the project's own set-up (scripts/prepare.ts):
// - protos of its own (not the repository's proto/): their descriptor set, built like the
//   project's (buf build + grpc-go's health/reflection/testing files) under .build/config-contracts/,
//   and every peer of the run pointed at it (INTEROP_DESCRIPTOR_SET); the harness's
//   interop_test.proto joins it, for call reports;
// - the build: commands of declared peers, re-run only when the protos or the command changed.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { join, relative, resolve } from "node:path";
import { execa } from "execa";
import { BUILD_DIR, DESCRIPTOR_SET, descriptorSetFor, ROOT } from "../paths.js";
import { mergeDescriptorSets } from "../../scripts/lib/descriptor-set.js";
import { buildDescriptorSet, DEFAULT_BUILD, PROTO_DIR, protoFiles } from "../../scripts/prepare.js";
import { hashFiles, isFresh, writeStamp } from "../../scripts/lib/stamp.js";
import { lastLine } from "../runtime/types.js";
import { loadRegistry, peerRegistry, resetRegistry, type PeerRegistry } from "./registry.js";
import { ConfigError } from "./schema.js";

const log = (msg: string) => console.error(`setup: ${msg}`);

/** Where the descriptor set of a protos folder other than proto/ is built. */
export function configContractDir(protosDir: string): string {
  return resolve(BUILD_DIR, "config-contracts", createHash("sha256").update(protosDir).digest("hex").slice(0, 12));
}

export async function prepareConfig(registry: PeerRegistry = peerRegistry()): Promise<PeerRegistry> {
  const { protosDir } = registry.config;
  if (resolve(protosDir) !== PROTO_DIR) {
    process.env.INTEROP_DESCRIPTOR_SET = await buildConfigContract(protosDir, configContractDir(protosDir));
    // The reference peers' commands carry the contract's path: declare them again with it.
    resetRegistry();
    registry = loadRegistry(registry.config.file);
  }
  await runBuilds(registry, protosDir);
  return registry;
}

/** The descriptor set of a team's protos (+ interop_test.proto) under outDir; returns its path. */
export async function buildConfigContract(protosDir: string, outDir: string): Promise<string> {
  await buildDescriptorSet({ protoDir: protosDir, outDir, binDir: DEFAULT_BUILD.binDir });
  const target = descriptorSetFor(outDir);
  // Call reports (expect.received, callReport) are asked through the harness's own
  // interop.InteropTest/GetCallReport: its file joins the team's contract.
  const harness = fromBinary(FileDescriptorSetSchema, readFileSync(DESCRIPTOR_SET));
  const wanted = new Set(["interop_test.proto"]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const f of harness.file) if (wanted.has(f.name)) for (const d of f.dependency) if (!wanted.has(d)) (wanted.add(d), (grew = true));
  }
  const extra = create(FileDescriptorSetSchema, { file: harness.file.filter((f) => wanted.has(f.name)) });
  writeFileSync(target, mergeDescriptorSets([readFileSync(target), toBinary(FileDescriptorSetSchema, extra)]));
  return target;
}

/** Runs each declared peer's build: command (cwd: its config's folder) unless its inputs are unchanged. */
export async function runBuilds(registry: PeerRegistry, protosDir: string): Promise<void> {
  const peers = [...registry.servers.values(), ...registry.clients.values()].filter((p) => p.build);
  for (const peer of peers) {
    const [file, ...args] = peer.build!;
    // One stamp per peer and command (which holds {out}): each compat side keeps its own.
    const stamp = join(BUILD_DIR, "declared", `${peer.name}-${createHash("sha256").update(JSON.stringify(peer.build)).digest("hex").slice(0, 8)}.stamp`);
    const hash = hashFiles(protoFiles(protosDir), JSON.stringify(peer.build));
    if (isFresh(stamp, hash)) continue;
    log(`building ${peer.name} (${[file, ...args].map((a) => (a.startsWith(ROOT) ? relative(ROOT, a) || "." : a)).join(" ")}) ...`);
    mkdirSync(join(BUILD_DIR, "declared"), { recursive: true });
    const r = await execa(file, args, { cwd: peer.process?.cwd ?? registry.config.dir, reject: false, all: true, timeout: 600_000 });
    if (r.failed) {
      const kind = registry.servers.has(peer.name) ? "servers" : "clients";
      throw new ConfigError(`${registry.config.shown}: ${kind}.${peer.name}.build failed (${r.timedOut ? "timed out" : `exit ${r.exitCode}`}): ${lastLine(String(r.all ?? ""))}: fix the build command or the code it builds`);
    }
    writeStamp(stamp, hash);
  }
}
