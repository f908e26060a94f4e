// Merges the reports of the shards of one run (npm run interop -- --shard i/n, each in its own
// folder, e.g. from CI's parallel jobs) into the reports a single run would have written.
// Refuses, with one line, what would make the merge lie: a folder without interop.json, shards of
// different runtimes or shard counts, a shard missing or given twice, a cell present in two shards.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { cellId } from "../plan.js";
import type { RunReport } from "./write.js";
import { buildRunReport } from "./write.js";

function readShard(dir: string): RunReport {
  const file = join(dir, "interop.json");
  if (!existsSync(file)) throw new UsageError(`${dir}: no interop.json: pass the folders that \`npm run interop -- --shard i/n\` wrote (reports/shard-i-of-n)`);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as RunReport;
  } catch (e) {
    throw new UsageError(`${file}: ${(e as Error).message}: the shard's report is damaged; run that shard again`);
  }
}

export function mergeReports(dirs: string[]): RunReport {
  if (dirs.length === 0) throw new UsageError("reports merge: name the shard folders to merge, e.g. reports/shard-1-of-2 reports/shard-2-of-2");
  const shards = dirs.map((dir) => ({ dir, report: readShard(dir) }));
  const runtimes = new Set(shards.map((s) => s.report.runtime));
  if (runtimes.size > 1) throw new UsageError(`reports merge: the shards ran in different runtimes (${[...runtimes].join(", ")}): merge shards of one run`);
  checkShardSet(shards);
  const seen = new Map<string, string>();
  for (const { dir, report } of shards) {
    for (const c of report.cells) {
      const id = cellId(c.client, c.server, c.case);
      if (seen.has(id)) throw new UsageError(`reports merge: cell "${id}" is in both ${seen.get(id)} and ${dir}: merge shards of one run, each once`);
      seen.set(id, dir);
    }
  }
  const first = shards[0].report;
  return buildRunReport(shards.flatMap((s) => s.report.cells), { runtime: first.runtime, serverAddr: first.serverAddr });
}

/** Every shard "i-of-n" of one n, each once: a missing shard would make the merged run look smaller. */
function checkShardSet(shards: { dir: string; report: RunReport }[]) {
  const named = shards.map((s) => ({ dir: s.dir, m: /^shard-(\d+)-of-(\d+)$/.exec(s.report.shard ?? "") }));
  const unsharded = named.find((s) => !s.m);
  if (unsharded) throw new UsageError(`reports merge: ${unsharded.dir} is not a shard's report (its run had no --shard)`);
  const totals = new Set(named.map((s) => s.m![2]));
  if (totals.size > 1) throw new UsageError(`reports merge: the shards split the matrix differently (of ${[...totals].join(", ")}): merge shards of one run`);
  const n = Number([...totals][0]);
  for (let i = 1; i <= n; i++) {
    const count = named.filter((s) => Number(s.m![1]) === i).length;
    if (count === 0) throw new UsageError(`reports merge: shard ${i} of ${n} is missing: pass all ${n} shard folders`);
    if (count > 1) throw new UsageError(`reports merge: shard ${i} of ${n} is given twice`);
  }
}
