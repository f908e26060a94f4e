// Set-up for `npm run conformance`: the connectconformance runner, built from the version pinned in
// go.mod's tool block, and TypeScript generated from the suite's .proto files, which come from that
// same module in the Go module cache (nothing of the suite is copied into this repository).
// Each step is skipped when its inputs are unchanged (content stamps, as in scripts/prepare.ts).
import { existsSync, mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { BUILD_DIR, ROOT } from "../interop/paths.js";
import { run } from "../scripts/lib/run.js";
import { hashFiles, isFresh, listFiles, writeStamp } from "../scripts/lib/stamp.js";

export const CONFORMANCE_MODULE = "connectrpc.com/conformance";
export const RUNNER_BIN = join(BUILD_DIR, "bin", "connectconformance");
export const CONFORMANCE_GEN_DIR = join(BUILD_DIR, "conformance", "gen");
const TEMPLATE = "conformance/buf.gen.yaml";
const PROXY_HINT = "check that the Go module proxy is reachable (or GOPROXY/GOFLAGS), then run again";
const log = (msg: string) => console.error(`setup: ${msg}`);

/** The pinned module's directory in the Go module cache, downloaded if it is not there yet. */
export async function conformanceModuleDir(): Promise<string> {
  await run("go", ["mod", "download", CONFORMANCE_MODULE], PROXY_HINT);
  const dir = (await run("go", ["list", "-m", "-f", "{{.Dir}}", CONFORMANCE_MODULE], PROXY_HINT)).trim();
  if (!dir || !existsSync(join(dir, "proto"))) throw new Error(`go list gave no module directory with proto/ for ${CONFORMANCE_MODULE}: "${dir}"`);
  return dir;
}

export async function ensureConformanceRunner(): Promise<void> {
  const stamp = join(BUILD_DIR, "bin", ".connectconformance.stamp");
  const hash = hashFiles(listFiles(["go.mod", "go.sum"]));
  if (existsSync(RUNNER_BIN) && isFresh(stamp, hash)) return;
  log(`building connectconformance (${CONFORMANCE_MODULE}, pinned in go.mod) into ${relative(ROOT, RUNNER_BIN)} ...`);
  mkdirSync(join(BUILD_DIR, "bin"), { recursive: true });
  await run("go", ["build", "-o", RUNNER_BIN, `${CONFORMANCE_MODULE}/cmd/connectconformance`], PROXY_HINT);
  writeStamp(stamp, hash);
}

export async function generateConformanceTs(force = false): Promise<void> {
  const moduleDir = await conformanceModuleDir();
  const protoDir = join(moduleDir, "proto");
  const protos = listFiles([relative(ROOT, protoDir)], (f) => f.endsWith(".proto"));
  const stamp = join(CONFORMANCE_GEN_DIR, ".stamp");
  // The module directory's name carries the version; the template and ts-proto's version are inputs too.
  const hash = hashFiles([...protos, ...listFiles([TEMPLATE, "package-lock.json"])], moduleDir, "/");
  if (!force && isFresh(stamp, hash)) return;
  log(`generating TypeScript for the conformance suite's ${protos.length} .proto file(s) from ${moduleDir} ...`);
  await run(join(ROOT, "node_modules/.bin/buf"), ["generate", protoDir, "--template", TEMPLATE], "run `npm install`, then again");
  writeStamp(stamp, hash);
}

export async function prepareConformance(force = false): Promise<void> {
  await ensureConformanceRunner();
  await generateConformanceTs(force);
}

/** The pinned version, as go.mod has it (e.g. v1.0.7). */
export async function conformanceVersion(): Promise<string> {
  return (await run("go", ["list", "-m", "-f", "{{.Version}}", CONFORMANCE_MODULE], PROXY_HINT)).trim();
}
