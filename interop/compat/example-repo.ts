// A throwaway git repository holding a copy of fixtures/examples/notes at the same path, for
// `npm run compat -- --repo R --config R/fixtures/examples/notes/interop.config.yaml` in tests:
// its protos can be edited without touching this repository. It lives under .build/ so that the
// example's code finds the project's node_modules; ts-client is linked (the driver kit).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { BUILD_DIR, ROOT } from "../paths.js";

export const NOTES = "fixtures/examples/notes";
export const NOTES_PROTO = `${NOTES}/proto/acme/notes/v1/notes.proto`;

export async function makeExampleRepo(): Promise<string> {
  mkdirSync(join(BUILD_DIR, "compat-repos"), { recursive: true });
  const repo = mkdtempSync(join(BUILD_DIR, "compat-repos", "notes-"));
  cpSync(join(ROOT, NOTES), join(repo, NOTES), { recursive: true, filter: (src) => !src.endsWith(".tmp.yaml") });
  symlinkSync(join(ROOT, "ts-client"), join(repo, "ts-client"));
  const git = (...args: string[]) => execa("git", ["-C", repo, ...args], { timeout: 30_000 });
  await git("init", "-q", "-b", "main");
  await git("add", "-A");
  await git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-q", "-m", "notes service");
  return repo;
}

/** Rewrites the example's proto in the repo's working tree. */
export function editProto(repo: string, edit: (text: string) => string): void {
  const file = join(repo, NOTES_PROTO);
  const before = readFileSync(file, "utf8");
  const after = edit(before);
  if (after === before) throw new Error("the edit changed nothing");
  writeFileSync(file, after);
}
