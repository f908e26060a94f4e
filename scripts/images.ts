// The peer images of the container runtime, built on this machine with no registry: each is
// tagged by a hash of its inputs (peer sources, gen/ output, requirements, Dockerfile and, for
// Python, the base image), so an unchanged peer is never rebuilt and a proto edit, which changes
// gen/, rebuilds what uses it. `npm run interop -- --runtime container` builds them before the
// matrix starts; the runtime only checks that they are there.
import { cpSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { UsageError } from "../interop/errors.js";
import { BUILD_DIR, GEN_DIR, ROOT, VENV_PYTHON } from "../interop/paths.js";
import type { ImageLanguage } from "../interop/peers.js";
import { run } from "./lib/run.js";
import { hashFiles, isFresh, listFiles, writeStamp } from "./lib/stamp.js";

export type PeerImages = Record<ImageLanguage, string>;

/** Every image this project builds carries this label (value: the language). */
export const IMAGE_LABEL = "grpc-interop.image";
export const OFFICIAL_PYTHON_BASE = "python:3.11-slim";
/** What scripts/python-base-image.sh builds where the official image cannot be pulled. */
export const LOCAL_PYTHON_BASE = "interop-python-base:bookworm";
const REQUIREMENTS = "interop/peers/python/requirements.txt";
const BUILD_TIMEOUT_MS = 600_000;

const log = (msg: string) => console.error(`setup: ${msg}`);
const dockerfile = (lang: ImageLanguage) => join(ROOT, "interop/peers", lang, "Dockerfile");
const tagFor = (lang: ImageLanguage, hash: string) => `grpc-interop-${lang}:${hash.slice(0, 12)}`;

async function imageId(ref: string): Promise<string | undefined> {
  const r = await execa("docker", ["image", "inspect", "--format", "{{.Id}}", ref], { reject: false, timeout: 30_000 });
  return r.exitCode === 0 ? String(r.stdout).trim() : undefined;
}

function freshDir(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

export async function ensurePeerImages(): Promise<PeerImages> {
  return { go: await ensureGoImage(), python: await ensurePythonImage() };
}

async function ensureGoImage(): Promise<string> {
  const tag = tagFor("go", hashFiles(listFiles(["interop/peers/go", "gen/go", "go.mod", "go.sum"])));
  if (await imageId(tag)) return tag;
  log(`building image ${tag}: the Go peers as static binaries (CGO_ENABLED=0) in FROM scratch ...`);
  const context = freshDir(join(BUILD_DIR, "images", "go"));
  // go-netns and grpc-go's official interop server (go.mod's tool block) run the go-official server.
  const programs: Record<string, string> = { "go-netns": "./interop/peers/go/netns", "go-official-server": "google.golang.org/grpc/interop/server" };
  for (const peer of ["server", "client", "stub"]) programs[`go-${peer}`] = `./interop/peers/go/${peer}`;
  for (const [name, pkg] of Object.entries(programs)) {
    await run("go", ["build", "-trimpath", "-o", join(context, name), pkg], "fix the Go peer and run again", BUILD_TIMEOUT_MS, { CGO_ENABLED: "0" });
  }
  await dockerBuild("go", tag, context);
  return tag;
}

async function ensurePythonImage(): Promise<string> {
  const base = await pythonBase();
  const tag = tagFor("python", hashFiles(listFiles(["interop/peers/python", "gen/python"]), base.id));
  if (await imageId(tag)) return tag;
  const standIn = base.ref === LOCAL_PYTHON_BASE ? ` (the local stand-in for ${OFFICIAL_PYTHON_BASE}, from scripts/python-base-image.sh)` : "";
  log(`building image ${tag} on ${base.ref}${standIn} ...`);
  const context = freshDir(join(BUILD_DIR, "images", "python"));
  cpSync(await ensureWheels(), join(context, "wheels"), { recursive: true });
  cpSync(join(ROOT, REQUIREMENTS), join(context, "requirements.txt"));
  cpSync(join(GEN_DIR, "python"), join(context, "gen", "python"), { recursive: true, filter: (f) => !f.includes("__pycache__") });
  const peers = join(ROOT, "interop/peers/python");
  mkdirSync(join(context, "peers", "python"), { recursive: true });
  for (const f of readdirSync(peers).filter((f) => f.endsWith(".py"))) cpSync(join(peers, f), join(context, "peers", "python", f));
  await dockerBuild("python", tag, context, ["--build-arg", `PYTHON_BASE=${base.ref}`]);
  return tag;
}

/**
 * The Python base image: INTEROP_PYTHON_BASE if set; else the official slim image if it is here
 * or can be pulled; else the local debootstrap stand-in, built by scripts/python-base-image.sh
 * the first time it is needed.
 */
async function pythonBase(): Promise<{ ref: string; id: string }> {
  const wanted = process.env.INTEROP_PYTHON_BASE;
  const candidates = wanted ? [wanted] : [OFFICIAL_PYTHON_BASE, LOCAL_PYTHON_BASE];
  for (const ref of candidates) {
    const id = await imageId(ref);
    if (id) return { ref, id };
  }
  const ref = wanted ?? OFFICIAL_PYTHON_BASE;
  const pull = await execa("docker", ["pull", "-q", ref], { reject: false, timeout: 120_000, all: true });
  if (pull.exitCode === 0) return { ref, id: (await imageId(ref))! };
  const why = pull.timedOut ? "timed out" : (String(pull.all).trim().split("\n").pop() ?? "");
  if (wanted) throw new UsageError(`INTEROP_PYTHON_BASE=${wanted}: not on this machine and cannot be pulled (${why})`);
  log(`${ref} cannot be pulled (${why}): building the equivalent local base ${LOCAL_PYTHON_BASE} with scripts/python-base-image.sh (debootstrap, ~1 min) ...`);
  await run("bash", [join(ROOT, "scripts/python-base-image.sh"), LOCAL_PYTHON_BASE], "see scripts/python-base-image.sh (it needs root, debootstrap and the Debian mirror)", BUILD_TIMEOUT_MS);
  return { ref: LOCAL_PYTHON_BASE, id: (await imageId(LOCAL_PYTHON_BASE))! };
}

/** Wheels of the pinned requirements, downloaded on the host, so the image build needs no network. */
async function ensureWheels(): Promise<string> {
  const dir = join(BUILD_DIR, "wheels");
  const stamp = join(dir, ".stamp");
  const hash = hashFiles(listFiles([REQUIREMENTS]));
  if (isFresh(stamp, hash)) return dir;
  log("downloading the wheels of requirements.txt for the Python image (pip download) ...");
  freshDir(dir);
  await run(VENV_PYTHON, ["-m", "pip", "download", "-q", "--disable-pip-version-check", "--only-binary=:all:", "-r", REQUIREMENTS, "-d", dir], "check that PyPI is reachable, then run again", BUILD_TIMEOUT_MS);
  writeStamp(stamp, hash);
  return dir;
}

async function dockerBuild(lang: ImageLanguage, tag: string, context: string, extra: string[] = []): Promise<void> {
  await run("docker", ["build", "-q", "-f", dockerfile(lang), "--label", `${IMAGE_LABEL}=${lang}`, ...extra, "-t", tag, context], `fix interop/peers/${lang}/Dockerfile and run again`, BUILD_TIMEOUT_MS);
  // Older builds of the same peer are only disk now.
  const old = await execa("docker", ["image", "ls", "--filter", `label=${IMAGE_LABEL}=${lang}`, "--format", "{{.Repository}}:{{.Tag}}"], { reject: false, timeout: 30_000 });
  const stale = String(old.stdout).split("\n").filter((t) => t && t !== tag && t.startsWith(`grpc-interop-${lang}:`));
  if (stale.length) await execa("docker", ["image", "rm", ...stale], { reject: false, timeout: 60_000 });
}
