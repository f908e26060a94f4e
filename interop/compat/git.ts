// The git side of `npm run compat`: which commit is the base, and its protos on disk.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { UsageError } from "../errors.js";

export interface Base {
  /** What the user asked for, or how the default was chosen. */
  ref: string;
  commit: string;
}

async function git(repo: string, args: string[]) {
  return execa("git", ["-C", repo, ...args], { reject: false, timeout: 60_000 });
}

export async function checkRepository(repo: string): Promise<void> {
  const r = await git(repo, ["rev-parse", "--show-toplevel"]).catch(() => undefined);
  if (!r) throw new UsageError("git is not installed: install git (apt-get install git) and run again");
  if (r.failed) throw new UsageError(`${repo} is not a git repository: run npm run compat inside a clone of the project (the base protos come from its history)`);
}

async function commitOf(repo: string, ref: string): Promise<string | undefined> {
  const r = await git(repo, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  return r.failed ? undefined : String(r.stdout).trim();
}

/**
 * The base to compare with: --base if given; otherwise the merge base with main, or origin/main
 * (what a pull request into main is compared with), or HEAD when there is neither or HEAD is on main.
 */
export async function resolveBase(repo: string, ref?: string): Promise<Base> {
  if (ref !== undefined) {
    const commit = await commitOf(repo, ref);
    if (!commit) throw new UsageError(`base "${ref}" is not a commit in ${repo}: pass --base a branch, tag or commit that exists (see git log --oneline)`);
    return { ref, commit };
  }
  const head = await commitOf(repo, "HEAD");
  if (!head) throw new UsageError(`${repo} has no commit yet: commit the protos first, or pass --base`);
  // A fresh clone has origin/main but maybe no local main.
  for (const main of ["main", "origin/main"]) {
    if (!(await commitOf(repo, main))) continue;
    const mb = await git(repo, ["merge-base", "HEAD", main]);
    const commit = String(mb.stdout).trim();
    if (!mb.failed && commit) return { ref: commit === head ? `HEAD (on ${main})` : `merge-base(HEAD, ${main})`, commit };
  }
  return { ref: "HEAD (no main branch)", commit: head };
}

/** Extracts the base commit's proto/ into a new temporary directory; returns that directory. */
export async function extractProtos(repo: string, base: Base, protoSubdir = "proto"): Promise<string> {
  if ((await git(repo, ["cat-file", "-e", `${base.commit}:${protoSubdir}`])).failed) {
    throw new UsageError(`base ${base.ref} (${base.commit.slice(0, 12)}) has no ${protoSubdir}/ directory: pass --base a commit that has the protos`);
  }
  const dir = mkdtempSync(join(tmpdir(), "compat-base-"));
  const archive = await execa("sh", ["-c", `git -C "$1" archive "$2" "$3" | tar -x -C "$4"`, "sh", repo, base.commit, protoSubdir, dir], { reject: false, timeout: 60_000, all: true });
  if (archive.failed) throw new Error(`git archive of ${base.commit} ${protoSubdir}/ failed: ${archive.all}`);
  return dir;
}
