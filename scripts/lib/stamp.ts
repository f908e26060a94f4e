// Content stamps: a step re-runs only when the hash of its inputs changed (mtimes are useless
// after a git checkout). The stamp file sits with the step's outputs, so deleting the outputs
// deletes the stamp too.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "../../interop/paths.js";

/** All files under the given paths (files or directories), sorted, skipping caches. */
export function listFiles(paths: string[], filter: (f: string) => boolean = () => true): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) {
      for (const e of readdirSync(p)) if (e !== "__pycache__" && e !== "node_modules") walk(join(p, e));
    } else if (filter(p)) out.push(p);
  };
  paths.forEach((p) => walk(join(ROOT, p)));
  return out.sort();
}

/** Hash of the files' names (relative to `base`) and contents. */
export function hashFiles(files: string[], extra = "", base = ROOT): string {
  const h = createHash("sha256").update(extra);
  for (const f of files) h.update(relative(base, f)).update("\0").update(readFileSync(f)).update("\0");
  return h.digest("hex");
}

export const isFresh = (stampFile: string, hash: string) => existsSync(stampFile) && readFileSync(stampFile, "utf8") === hash;
export const writeStamp = (stampFile: string, hash: string) => writeFileSync(stampFile, hash);
