// `npm run bench [-- --runs N] [-- --no-cold]`: wall-clock figures for `npm run interop`.
//   cold: after removing every build output (gen/, .build/, .venv/): set-up + codegen + builds + matrix
//   warm: nothing to set up; the matrix alone (N runs, min / median / max)
// node_modules is kept: reinstalling it measures the npm registry, not this project.
// Speed is measured here, by printing figures, never asserted in a timed test.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { execa } from "execa";
import { ROOT } from "../interop/paths.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" }, "no-cold": { type: "boolean", default: false }, runtime: { type: "string", default: "process" } } });

async function timeInterop(): Promise<{ seconds: number; summary: string }> {
  const t0 = performance.now();
  const r = await execa("npm", ["run", "--silent", "interop", "--", "--runtime", values.runtime], { cwd: ROOT, reject: false, all: true, timeout: 900_000 });
  const seconds = (performance.now() - t0) / 1000;
  const summary = String(r.all).trim().split("\n").pop() ?? "";
  if (r.exitCode !== 0) throw new Error(`npm run interop failed (exit ${r.exitCode}): ${summary}`);
  return { seconds, summary };
}

const rows: string[][] = [];
if (!values["no-cold"]) {
  for (const dir of ["gen", ".build", ".venv"]) rmSync(join(ROOT, dir), { recursive: true, force: true });
  const cold = await timeInterop();
  rows.push(["cold (set-up + codegen + build + matrix)", cold.seconds.toFixed(2), cold.summary]);
}
const warm: number[] = [];
for (let i = 0; i < Number(values.runs); i++) {
  const run = await timeInterop();
  warm.push(run.seconds);
  rows.push([`warm run ${i + 1}`, run.seconds.toFixed(2), run.summary]);
}
const sorted = [...warm].sort((a, b) => a - b);
console.log(`\nnpm run interop -- --runtime ${values.runtime}   (${process.platform}, ${(await import("node:os")).cpus().length} cores)\n`);
console.log("  run                                        wall s   result");
for (const [name, s, summary] of rows) console.log(`  ${name.padEnd(42)} ${s.padStart(6)}   ${summary}`);
if (warm.length) {
  console.log(`\n  warm: min ${sorted[0].toFixed(2)} s, median ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} s, max ${sorted[sorted.length - 1].toFixed(2)} s`);
}
