// Runs a set-up command with a time limit; on failure throws a UsageError whose one line says
// what failed and what to do.
import { execa } from "execa";
import { UsageError } from "../../interop/errors.js";
import { ROOT } from "../../interop/paths.js";

export async function run(file: string, args: string[], hint: string, timeoutMs = 600_000, env: Record<string, string> = {}): Promise<string> {
  let r;
  try {
    r = await execa(file, args, { cwd: ROOT, reject: false, timeout: timeoutMs, all: true, env });
  } catch (e) {
    throw new UsageError(`${file} could not be run (${(e as Error).message.split("\n")[0]}): ${hint}`);
  }
  if (r.failed) {
    const out = String(r.all ?? "").trim().split("\n").filter(Boolean);
    const why = r.timedOut ? `timed out after ${timeoutMs / 1000} s` : r.code === "ENOENT" ? "not found" : (out.find((l) => /error/i.test(l)) ?? out.pop() ?? `exit ${r.exitCode}`);
    throw new UsageError(`\`${[file.split("/").pop(), ...args.slice(0, 3)].join(" ")}\` failed: ${why.trim()}: ${hint}`);
  }
  return String(r.all ?? "");
}

/** Is a command on PATH? */
export async function have(file: string, args = ["--version"]): Promise<boolean> {
  const r = await execa(file, args, { reject: false, timeout: 30_000 }).catch(() => undefined);
  return Boolean(r && !r.failed);
}
