// `npm run bench [-- --runs N] [-- --no-cold] [-- --runtime process|container|both] [-- --matrix core|full|both] [-- --with-base]`:
// wall-clock figures for `npm run interop`, for the core category (48 cells) and the full matrix.
//   cold: after removing every build output (gen/, .build/, .venv/; for containers also the peer
//         images, and with --with-base the local Python base image): set-up + codegen + builds + matrix
//   warm: nothing to set up; the matrix alone (N runs, min / median / max)
// node_modules is kept: reinstalling it measures the npm registry, not this project.
// Speed is measured here, by printing figures, never asserted in a timed test.
import { rmSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { execa } from "execa";
import { ROOT } from "../interop/paths.js";
import { IMAGE_LABEL, LOCAL_PYTHON_BASE } from "./images.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    "no-cold": { type: "boolean", default: false },
    runtime: { type: "string", default: "process" },
    "with-base": { type: "boolean", default: false },
    matrix: { type: "string", default: "both" },
  },
});
if (!["core", "full", "both"].includes(values.matrix)) {
  console.error(`error: unknown --matrix "${values.matrix}": choose from core, full, both`);
  process.exit(2);
}
// core: `--category core`; full: every cell.
const MATRICES: Record<string, string[]> = { core: ["--category", "core"], full: [] };
const matrices = values.matrix === "both" ? ["core", "full"] : [values.matrix];
const runtimes = values.runtime === "both" ? ["process", "container"] : [values.runtime];

async function timeInterop(runtime: string, matrix: string): Promise<{ seconds: number; summary: string }> {
  const t0 = performance.now();
  const r = await execa("npm", ["run", "--silent", "interop", "--", "--runtime", runtime, ...MATRICES[matrix]], { cwd: ROOT, reject: false, all: true, timeout: 900_000 });
  const seconds = (performance.now() - t0) / 1000;
  const summary = String(r.all).trim().split("\n").pop() ?? "";
  if (r.exitCode !== 0) throw new Error(`npm run interop failed (exit ${r.exitCode}): ${summary}`);
  return { seconds, summary };
}

async function removeBuildOutputs(runtime: string): Promise<string> {
  for (const dir of ["gen", ".build", ".venv"]) rmSync(join(ROOT, dir), { recursive: true, force: true });
  if (runtime !== "container") return "set-up + codegen + build + matrix";
  const images = await execa("docker", ["image", "ls", "-q", "--filter", `label=${IMAGE_LABEL}`], { timeout: 30_000 });
  const ids = [...new Set(String(images.stdout).split("\n").filter(Boolean))];
  if (values["with-base"]) ids.push(LOCAL_PYTHON_BASE);
  if (ids.length) await execa("docker", ["image", "rm", "-f", ...ids], { reject: false, timeout: 120_000 });
  return values["with-base"] ? "+ base image + peer images" : "+ peer images (base kept)";
}

for (const runtime of runtimes) {
  for (const matrix of matrices) {
    const rows: string[][] = [];
    // Cold once per runtime, with the first matrix measured.
    if (!values["no-cold"] && matrix === matrices[0]) {
      const what = await removeBuildOutputs(runtime);
      const cold = await timeInterop(runtime, matrix);
      rows.push([`cold (${what})`, cold.seconds.toFixed(2), cold.summary]);
    }
    const warm: number[] = [];
    for (let i = 0; i < Number(values.runs); i++) {
      const run = await timeInterop(runtime, matrix);
      warm.push(run.seconds);
      rows.push([`warm run ${i + 1}`, run.seconds.toFixed(2), run.summary]);
    }
    const sorted = [...warm].sort((a, b) => a - b);
    console.log(`\nnpm run interop -- --runtime ${runtime} ${MATRICES[matrix].join(" ")}   (${matrix}; ${process.platform}, ${cpus().length} cores, ${cpus()[0]?.model ?? "unknown CPU"})\n`);
    console.log("  run                                        wall s   result");
    for (const [name, s, summary] of rows) console.log(`  ${name.padEnd(42)} ${s.padStart(6)}   ${summary}`);
    if (warm.length) {
      console.log(`\n  warm: min ${sorted[0].toFixed(2)} s, median ${sorted[Math.floor(sorted.length / 2)].toFixed(2)} s, max ${sorted[sorted.length - 1].toFixed(2)} s`);
    }
  }
}
