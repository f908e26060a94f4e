// Writes a run's reports (interop.json, junit.xml, interop.md, index.html) into one folder. The
// vitest reporter calls it at the end of a run, `npm run reports -- merge` after combining shards:
// one writer, so a merged report is the report a single run would have written.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { loadKnownFailing, loadKnownFlaky } from "../fixtures.js";
import { ROOT } from "../paths.js";
import type { CellRecord } from "./cell-record.js";
import { loadConformance, withConformance } from "./conformance.js";
import { renderHtml } from "./html.js";
import { renderJunit } from "./junit.js";
import { renderMarkdown } from "./markdown.js";
import type { RunInfo } from "./repro.js";
import { companionSections } from "./sections.js";
import { totalsByCategory } from "./summary.js";

/** What reports/interop.json holds: enough to render every other report again (merge). */
export interface RunReport extends RunInfo {
  totals: ReturnType<typeof totalsByCategory>;
  knownFailing: unknown[];
  knownFlaky: unknown[];
  cells: CellRecord[];
}

/**
 * Where a run writes its reports: $INTEROP_REPORTS_DIR, else reports/, and a shard's run into
 * reports/shard-i-of-n/ so that parallel shards on one machine never overwrite each other.
 */
export function reportsDirFor(run: RunInfo, env = process.env): string {
  const base = resolve(ROOT, env.INTEROP_REPORTS_DIR || "reports");
  return run.shard && !env.INTEROP_REPORTS_DIR ? join(base, run.shard) : base;
}

/** Cells in plan order (seq), whatever order they finished or were merged in. */
export const inPlanOrder = (cells: CellRecord[]) => [...cells].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));

export function buildRunReport(cells: CellRecord[], run: RunInfo): RunReport {
  const ordered = inPlanOrder(cells);
  // Both lists go into the report, so a reader sees every excuse the run made.
  return {
    runtime: run.runtime,
    ...(run.serverAddr ? { serverAddr: run.serverAddr } : {}),
    ...(run.shard ? { shard: run.shard } : {}),
    totals: totalsByCategory(ordered),
    knownFailing: loadKnownFailing(),
    knownFlaky: loadKnownFlaky(),
    cells: ordered,
  };
}

/** Writes every report into dir; returns their paths as a person would type them. */
export function writeReports(dir: string, report: RunReport, { stepSummary = true } = {}): string[] {
  mkdirSync(dir, { recursive: true });
  const { cells } = report;
  const run: RunInfo = { runtime: report.runtime, serverAddr: report.serverAddr, shard: report.shard };
  const sections = companionSections(dir);
  const markdown = renderMarkdown(cells, run, sections);
  // conformance.json (npm run conformance) adds its cases to junit.xml and totals to interop.json.
  const files = withConformance(
    {
      "interop.json": JSON.stringify(report, null, 2) + "\n",
      "junit.xml": renderJunit(cells, run.runtime),
      "interop.md": markdown,
      "index.html": renderHtml(cells, run, sections),
    },
    loadConformance(dir),
  );
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  // On GitHub Actions the grid becomes the job's summary page; a shard's partial grid does not
  // (the merge job publishes the whole one).
  if (stepSummary && process.env.GITHUB_STEP_SUMMARY && !report.shard) appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown + "\n");
  return Object.keys(files).map((name) => relative(process.cwd(), join(dir, name)) || name);
}

/**
 * Renders the reports in dir again from its interop.json (or with no cells, when no matrix ran
 * yet), so that a companion report just written there (perf.json, conformance.json) joins them.
 */
export function rewriteReports(dir: string): string[] {
  const matrix = join(dir, "interop.json");
  const report: RunReport = existsSync(matrix) ? JSON.parse(readFileSync(matrix, "utf8")) : buildRunReport([], { runtime: "process" });
  return writeReports(dir, report, { stepSummary: false });
}
