// Everything a run needs that is not in git, each step skipped when its inputs are unchanged:
//   toolchains -> Python venv -> Go protoc plugins -> codegen (all languages) -> the TS peers
//   compiled to JavaScript -> Go peer binaries.
// `npm run interop` and `npm test` call this first; `npm run gen` forces the codegen step.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { UsageError } from "../interop/errors.js";
import { BUILD_DIR, CERTS_DIR, descriptorSetFor, GEN_DIR, ROOT, VENV_PYTHON } from "../interop/paths.js";
import { mergeDescriptorSets } from "./lib/descriptor-set.js";
import { probeDockerEngine } from "../interop/runtime/docker-engine.js";
import { prepareConformance } from "../conformance/build.js";
import { ensurePeerImages } from "./images.js";
import { bufGenerate } from "./lib/codegen.js";
import { compileTs } from "./lib/compile-ts.mjs";
import { have, run } from "./lib/run.js";
import { hashFiles, isFresh, listFiles, writeStamp } from "./lib/stamp.js";

const log = (msg: string) => console.error(`setup: ${msg}`);
const REQUIREMENTS = "interop/peers/python/requirements.txt";
export const PROTO_DIR = join(ROOT, "proto");

/**
 * Where one build of the peers comes from and goes: protos in, generated code under
 * <outDir>/gen/{ts,go,python}, Go binaries in binDir. The default is the project's own build;
 * `npm run compat` makes one more per contract (base and working tree) under .build/compat/.
 */
export interface BuildDirs {
  protoDir: string;
  outDir: string;
  binDir: string;
}
export const DEFAULT_BUILD: BuildDirs = { protoDir: PROTO_DIR, outDir: ROOT, binDir: join(BUILD_DIR, "bin") };
// server and client are the matrix's peers, vectors the golden-vector round trip (npm run compat),
// democlient the article's Go client (npm run demo), descset the grpc-go services' descriptors
// for the contract's descriptor set, stub the stub server of any service.
export const GO_PEERS = ["server", "client", "vectors", "democlient", "descset", "stub"] as const;

export async function checkToolchains(): Promise<void> {
  const [go, python] = await Promise.all([have("go", ["version"]), have("python3")]);
  if (!go) throw new UsageError("Go is not installed: install Go 1.24 or newer (apt-get install golang-go, or go.dev/dl) and run again");
  if (!python) throw new UsageError("python3 is not installed: install Python 3.11 with venv (apt-get install python3 python3-venv) and run again");
}

export async function ensureVenv(): Promise<void> {
  const stamp = join(ROOT, ".venv", ".interop-stamp");
  const hash = hashFiles(listFiles([REQUIREMENTS]));
  if (existsSync(VENV_PYTHON) && isFresh(stamp, hash)) return;
  log("creating the Python venv (.venv) with pinned grpcio ...");
  if (!existsSync(VENV_PYTHON)) await run("python3", ["-m", "venv", ".venv"], "install the venv module (apt-get install python3-venv) and run again");
  await run(VENV_PYTHON, ["-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", REQUIREMENTS], "check that PyPI is reachable, then run again");
  writeStamp(stamp, hash);
}

export async function ensureGoPlugins(): Promise<void> {
  const dir = join(BUILD_DIR, "tools");
  const stamp = join(dir, ".stamp");
  const hash = hashFiles(listFiles(["go.mod", "go.sum"]));
  if (isFresh(stamp, hash)) return;
  log("building protoc-gen-go and protoc-gen-go-grpc (versions pinned in go.mod) ...");
  mkdirSync(dir, { recursive: true });
  await run("go", ["build", "-o", dir + "/", "google.golang.org/protobuf/cmd/protoc-gen-go", "google.golang.org/grpc/cmd/protoc-gen-go-grpc"], "check that the Go module proxy is reachable, then run again");
  writeStamp(stamp, hash);
}

export function protoFiles(protoDir = PROTO_DIR): string[] {
  return listFiles([relative(ROOT, protoDir)], (f) => f.endsWith(".proto"));
}

/** Compiles the protos without generating anything: a broken .proto is one line naming file:line:col. */
export async function checkProtos(dir?: string): Promise<void> {
  await run(join(ROOT, "node_modules/.bin/buf"), dir ? ["build", dir] : ["build"], "fix the .proto and run again");
}

/**
 * The harness's own contracts carry a go_package under this module; only they get Go code (the Go
 * reference server and demo client). A team's .proto needs none: Go peers read it from the
 * descriptor set, so it needs no go_package either.
 */
const ownsGoCode = (file: string) => /^\s*option\s+go_package\s*=\s*"grpcinterop\//m.test(readFileSync(file, "utf8"));

/** Generates TS (ts-proto) and Go (protoc-gen-go/-grpc) through buf, Python through grpcio-tools. */
export async function generate(force = false, { protoDir, outDir }: BuildDirs = DEFAULT_BUILD): Promise<void> {
  const genDir = join(outDir, "gen");
  const stamp = join(genDir, ".stamp");
  const protos = protoFiles(protoDir);
  const inputs = [...protos, ...listFiles(["buf.yaml", "buf.gen.yaml", "buf.gen.go.yaml", "go.mod", REQUIREMENTS])];
  const hash = hashFiles(inputs);
  if (!force && isFresh(stamp, hash)) return;
  log(`generating code for TypeScript, Go and Python from ${protos.length} .proto file(s) in ${relative(ROOT, protoDir)} ...`);
  const isDefault = protoDir === PROTO_DIR && outDir === ROOT;
  await checkProtos(isDefault ? undefined : protoDir); // before removing the old outputs
  rmSync(genDir, { recursive: true, force: true });
  mkdirSync(join(genDir, "python"), { recursive: true });
  const fix = "fix the .proto and run again";
  // buf's -o prefixes every `out:` of buf.gen.yaml, so another build lands in <outDir>/gen/... alike.
  const bufArgs = isDefault ? ["generate"] : ["generate", protoDir, "-o", outDir];
  await bufGenerate(bufArgs, fix); // TS for every file; names the plugin that fails
  const goFiles = protos.filter(ownsGoCode);
  if (goFiles.length) await bufGenerate([...bufArgs, ...goFiles.flatMap((f) => ["--path", relative(ROOT, f)])], fix, "buf.gen.go.yaml");
  const py = join(genDir, "python");
  await run(VENV_PYTHON, ["-m", "grpc_tools.protoc", "-I", protoDir, `--python_out=${py}`, `--grpc_python_out=${py}`, ...protos], fix);
  writeStamp(stamp, hash);
}

/**
 * Another build's Go code stands in for gen/go through `go build -overlay`: the peers' source and
 * the module (grpcinterop/gen/go/...) stay as they are, only the generated files differ.
 */
function goOverlay(outDir: string): string {
  const from = (f: string) => join(GEN_DIR, "go", relative(join(outDir, "gen", "go"), f));
  const replace: Record<string, string> = {};
  for (const f of listFiles([relative(ROOT, join(GEN_DIR, "go"))])) replace[f] = ""; // hide files this build lacks
  for (const f of listFiles([relative(ROOT, join(outDir, "gen", "go"))])) replace[from(f)] = f;
  const file = join(outDir, "go-overlay.json");
  writeFileSync(file, JSON.stringify({ Replace: replace }, null, 2));
  return file;
}

export async function buildGoPeers({ outDir, binDir }: BuildDirs = DEFAULT_BUILD): Promise<void> {
  const stamp = join(binDir, ".stamp");
  const hash = hashFiles(listFiles(["interop/peers/go", relative(ROOT, join(outDir, "gen", "go")), "go.mod", "go.sum"]));
  if (isFresh(stamp, hash)) return;
  log(`building the Go peers (go build) into ${relative(ROOT, binDir)} ...`);
  mkdirSync(binDir, { recursive: true });
  const overlay = outDir === ROOT ? [] : ["-overlay", goOverlay(outDir)];
  for (const peer of GO_PEERS) {
    await run("go", ["build", ...overlay, "-o", join(binDir, `go-${peer}`), `./interop/peers/go/${peer}`], "fix the Go peer and run again");
  }
  writeStamp(stamp, hash);
}

/**
 * The contract as data: one FileDescriptorSet (`buf build` of the protos, WKT imports included,
 * merged with the grpc-go services' files written by go-descset) that every driver and stub loads
 * at run time (INTEROP_DESCRIPTOR_SET). Skipped when the protos and go-descset are unchanged.
 */
export async function buildDescriptorSet({ protoDir, outDir, binDir }: BuildDirs = DEFAULT_BUILD): Promise<void> {
  const target = descriptorSetFor(outDir);
  const dir = dirname(target);
  const stamp = join(dir, ".stamp");
  const descset = join(binDir, "go-descset");
  const hash = hashFiles([...protoFiles(protoDir), join(ROOT, "buf.yaml"), descset]);
  if (existsSync(target) && isFresh(stamp, hash)) return;
  log(`building the contract's descriptor set (${relative(ROOT, target)}) ...`);
  mkdirSync(dir, { recursive: true });
  const fix = "fix the .proto and run again";
  const isDefault = protoDir === PROTO_DIR;
  const protoSet = join(dir, "proto.binpb");
  const grpcSet = join(dir, "grpc.binpb");
  await run(join(ROOT, "node_modules/.bin/buf"), isDefault ? ["build", "-o", protoSet] : ["build", protoDir, "-o", protoSet], fix);
  await run(descset, ["-o", grpcSet], "run `npm run gen` again (go-descset is built with the Go peers)");
  writeFileSync(target, mergeDescriptorSets([readFileSync(protoSet), readFileSync(grpcSet)]));
  writeStamp(stamp, hash);
}

/**
 * grpc-go's official interop client and server (pinned in go.mod's tool block) and the netns
 * launcher that keeps that server on a private loopback. Only the project's own build needs
 * them (not npm run compat's per-contract builds).
 */
export const OFFICIAL_GO_PROGRAMS: Record<string, string> = {
  "go-official-client": "google.golang.org/grpc/interop/client",
  "go-official-server": "google.golang.org/grpc/interop/server",
  "go-netns": "./interop/peers/go/netns",
};

export async function buildOfficialPeers(binDir = DEFAULT_BUILD.binDir): Promise<void> {
  const stamp = join(binDir, ".official-stamp");
  const hash = hashFiles(listFiles(["interop/peers/go/netns", "go.mod", "go.sum"]));
  if (isFresh(stamp, hash)) return;
  log(`building grpc-go's official interop client and server and go-netns into ${relative(ROOT, binDir)} (a minute or two the first time) ...`);
  mkdirSync(binDir, { recursive: true });
  for (const [name, pkg] of Object.entries(OFFICIAL_GO_PROGRAMS)) {
    await run("go", ["build", "-o", join(binDir, name), pkg], "check that the Go module proxy is reachable, then run again");
  }
  writeStamp(stamp, hash);
}

/** Test CA and certificates for the TLS cases, made fresh on each machine, never committed. */
export async function ensureCerts(): Promise<void> {
  if (["ca.pem", "wrong-ca.pem", "server.pem", "client.pem"].every((f) => existsSync(join(CERTS_DIR, f)))) return;
  log("making the test CA and TLS certificates (.build/certs) ...");
  await run("bash", ["scripts/make-certs.sh", CERTS_DIR], "install openssl (apt-get install openssl) and run again");
}

export async function prepare(): Promise<void> {
  await checkToolchains();
  await ensureCerts();
  await ensureVenv();
  await ensureGoPlugins();
  await generate();
  // The TS peers run compiled (scripts/lib/compile-ts.mjs).
  await compileTs(ROOT, log).catch((e: Error) => {
    throw new UsageError(`the TypeScript does not compile: ${e.message}: fix it and run again`);
  });
  await buildGoPeers();
  await buildDescriptorSet();
  await buildOfficialPeers();
  await prepareConformance(); // npm run conformance: the runner and the suite's TS (conformance/build.ts)
}

/** Shared by the script entry points: a UsageError is one line and exit 2, anything else a crash. */
export async function main(step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
}

/** `npm test` runs the container tests (and an auto matrix) wherever an engine answers: build the images first. */
async function prepareWithImages(): Promise<void> {
  await prepare();
  if ((await probeDockerEngine()).answered) await ensurePeerImages();
}

if (import.meta.url === `file://${process.argv[1]}`) await main(prepareWithImages);
