// The terminal grid: clients down, servers across, one grid per pattern. A mark sums up every
// case of that pattern for the pair: ✓ all passed, ✗ some failed, ~ only known failures.
import type { CellRecord } from "./cell-record.js";

const MARK = { passed: "✓", failed: "✗", "known-failing": "~", skipped: "-" } as const;

function markFor(cells: CellRecord[]): string {
  if (cells.length === 0) return " ";
  const failed = cells.filter((c) => c.status === "failed").length;
  const passed = cells.filter((c) => c.status === "passed").length;
  const status = failed ? "failed" : cells.some((c) => c.status === "known-failing") ? "known-failing" : passed ? "passed" : "skipped";
  return cells.length === 1 ? MARK[status] : `${MARK[status]} ${passed}/${cells.length}`;
}

const pad = (s: string, n: number) => s + " ".repeat(Math.max(0, n - [...s].length));

export function renderGrids(cells: CellRecord[], groupBy: "pattern" | "category" = "pattern"): string {
  const groups = [...new Set(cells.map((c) => c[groupBy]))];
  const clients = [...new Set(cells.map((c) => c.client))];
  const servers = [...new Set(cells.map((c) => c.server))];
  const out: string[] = [];
  for (const group of groups) {
    const inGroup = cells.filter((c) => c[groupBy] === group);
    const rows = clients.map((client) => [client, ...servers.map((server) => markFor(inGroup.filter((c) => c.client === client && c.server === server)))]);
    const header = ["client \\ server", ...servers];
    const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...r[i]].length)) + 2);
    out.push(`${group}`);
    out.push("  " + header.map((h, i) => pad(h, widths[i])).join(""));
    for (const r of rows) out.push("  " + r.map((v, i) => pad(v, widths[i])).join(""));
    out.push("");
  }
  return out.join("\n");
}

export function renderFailures(cells: CellRecord[]): string {
  const lines: string[] = [];
  for (const c of cells.filter((x) => x.retried && x.status === "passed")) {
    lines.push(`RETRIED, passed on the retry: ${c.client} -> ${c.server} | ${c.case}`);
    lines.push(`    ${c.retried}`);
  }
  for (const c of cells.filter((x) => x.status === "failed" || x.status === "known-failing")) {
    const tag = c.status === "failed" ? "FAIL" : `KNOWN-FAILING (${c.knownFailingReason})`;
    lines.push(`${tag} ${c.client} -> ${c.server} | ${c.case}`);
    for (const l of (c.error ?? "").split("\n")) lines.push(`    ${l}`);
  }
  return lines.join("\n");
}
