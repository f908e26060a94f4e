// Everything a run needs that is not in git, each step skipped when its inputs are unchanged:
//   toolchains -> Python venv -> Go protoc plugins -> codegen (all languages) -> Go peer binaries.
// `npm run interop` and `npm test` call this first; `npm run gen` forces the codegen step.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { UsageError } from "../interop/errors.js";
import { BUILD_DIR, GEN_DIR, ROOT, VENV_PYTHON } from "../interop/paths.js";
import { probeDockerEngine } from "../interop/runtime/docker-engine.js";
import { ensurePeerImages } from "./images.js";
import { have, run } from "./lib/run.js";
import { hashFiles, isFresh, listFiles, writeStamp } from "./lib/stamp.js";

const log = (msg: string) => console.error(`setup: ${msg}`);
const REQUIREMENTS = "interop/peers/python/requirements.txt";
export const PROTO_DIR = join(ROOT, "proto");

export async function checkToolchains(): Promise<void> {
  if (!(await have("go", ["version"]))) throw new UsageError("Go is not installed: install Go 1.24 or newer (apt-get install golang-go, or go.dev/dl) and run again");
  if (!(await have("python3"))) throw new UsageError("python3 is not installed: install Python 3.11 with venv (apt-get install python3 python3-venv) and run again");
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

/** Generates TS (ts-proto) and Go (protoc-gen-go/-grpc) through buf, Python through grpcio-tools. */
export async function generate(force = false): Promise<void> {
  const stamp = join(GEN_DIR, ".stamp");
  const inputs = [...protoFiles(), ...listFiles(["buf.yaml", "buf.gen.yaml", "go.mod", REQUIREMENTS])];
  const hash = hashFiles(inputs);
  if (!force && isFresh(stamp, hash)) return;
  log(`generating code for TypeScript, Go and Python from ${protoFiles().length} .proto file(s) ...`);
  await checkProtos(); // before removing the old outputs
  rmSync(GEN_DIR, { recursive: true, force: true });
  mkdirSync(join(GEN_DIR, "python"), { recursive: true });
  const fix = "fix the .proto and run again";
  await run(join(ROOT, "node_modules/.bin/buf"), ["generate"], fix);
  await run(VENV_PYTHON, ["-m", "grpc_tools.protoc", "-I", "proto", "--python_out=gen/python", "--grpc_python_out=gen/python", ...protoFiles().map((f) => relative(ROOT, f))], fix);
  writeStamp(stamp, hash);
}

export async function buildGoPeers(): Promise<void> {
  const dir = join(BUILD_DIR, "bin");
  const stamp = join(dir, ".stamp");
  const hash = hashFiles(listFiles(["interop/peers/go", "gen/go", "go.mod", "go.sum"]));
  if (isFresh(stamp, hash)) return;
  log("building the Go peers (go build) ...");
  mkdirSync(dir, { recursive: true });
  for (const peer of ["server", "client"]) {
    await run("go", ["build", "-o", join(dir, `go-${peer}`), `./interop/peers/go/${peer}`], "fix the Go peer and run again");
  }
  writeStamp(stamp, hash);
}

export async function prepare(): Promise<void> {
  await checkToolchains();
  await ensureVenv();
  await ensureGoPlugins();
  await generate();
  await buildGoPeers();
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
