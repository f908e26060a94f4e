// Totals per case category (core, status, metadata, deadlines, ...): passed, failed,
// known-failing, skipped. Shown after the grids and written to reports/interop.json.
import type { CellRecord, CellStatus } from "./cell-record.js";

export type Totals = Record<CellStatus, number>;

export function totalsByCategory(cells: CellRecord[]): Record<string, Totals> {
  const out: Record<string, Totals> = {};
  for (const c of cells) {
    out[c.category] ??= { passed: 0, failed: 0, "known-failing": 0, skipped: 0 };
    out[c.category][c.status]++;
  }
  return out;
}

export function renderTotals(totals: Record<string, Totals>): string {
  const rows = Object.entries(totals).map(([category, t]) => [category, t.passed, t.failed, t["known-failing"], t.skipped].map(String));
  const header = ["category", "passed", "failed", "known-failing", "skipped"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)) + 2);
  const line = (r: string[]) => "  " + r.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("");
  return [line(header), ...rows.map(line)].join("\n");
}
