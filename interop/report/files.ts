// The files a matrix run writes to the reports directory (reports/, or $INTEROP_REPORTS_DIR).
// They are removed before a run starts, so a run that fails before its end leaves none that
// could be read as its own. Other files there (e.g. compat.json) are not this run's to remove.
import { rmSync } from "node:fs";
import { join } from "node:path";

export const REPORT_FILES = ["interop.json", "junit.xml", "interop.md", "index.html"] as const;
export type ReportFile = (typeof REPORT_FILES)[number];

/** Removes this run's report files from dir (reportsDirFor: reports/, a shard's folder, $INTEROP_REPORTS_DIR). */
export function removeReports(dir: string): void {
  for (const name of REPORT_FILES) rmSync(join(dir, name), { force: true });
}
