// Static check: buf's breaking-change detector, working tree's proto/ against the base's, with
// the rules buf.yaml names under `breaking:` (WIRE: only what changes bytes on the wire).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { ROOT } from "../paths.js";

export interface Violation {
  /** "proto/greeter.proto:26:1" in the working tree (where the change is, or what replaced it). */
  location: string;
  rule: string;
  message: string;
}

export interface StaticResult {
  rules: string;
  violations: Violation[];
}

interface BufAnnotation { path: string; start_line?: number; start_column?: number; type: string; message: string }

/** repo holds the working tree's proto/; baseDir holds the base's proto/ (extracted from git). */
export async function runStaticCheck(repo: string, baseDir: string, protoSubdir = "proto"): Promise<StaticResult> {
  // The project's buf.yaml is a workspace of proto/; another folder (a config's protos:) gets the
  // same breaking rules as a module of its own.
  const config = protoSubdir === "proto" ? join(ROOT, "buf.yaml") : JSON.stringify({ version: "v1", breaking: { use: breakingRules().split(", ") } });
  const args = ["breaking", protoSubdir, "--against", join(baseDir, protoSubdir), "--config", config, "--error-format", "json"];
  const r = await execa(join(ROOT, "node_modules/.bin/buf"), args, { cwd: repo, reject: false, timeout: 120_000 });
  // buf exits 100 when it found violations, 0 when none; anything else is buf failing to run.
  if (r.exitCode !== 0 && r.exitCode !== 100) throw new Error(`buf breaking failed (exit ${r.exitCode}): ${String(r.stderr).trim()}`);
  const violations = String(r.stdout)
    .split("\n")
    .filter((l) => l.trim().startsWith("{"))
    .map((l) => JSON.parse(l) as BufAnnotation)
    .map((a) => ({ location: [a.path, a.start_line, a.start_column].filter((x) => x !== undefined && x !== 0).join(":"), rule: a.type, message: a.message }));
  return { rules: breakingRules(), violations };
}

/** The rule set names under buf.yaml's breaking.use, for the report ("WIRE"). */
function breakingRules(): string {
  const m = /^breaking:\s*\n\s+use:\s*\n((?:\s+-\s*\S+\s*\n?)+)/m.exec(readFileSync(join(ROOT, "buf.yaml"), "utf8"));
  return m ? [...m[1].matchAll(/-\s*(\S+)/g)].map((x) => x[1]).join(", ") : "buf defaults";
}
