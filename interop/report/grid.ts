// The terminal grid: clients down, servers across, one grid per pattern. A mark sums up every
// case of that pattern for the pair: ✓ all passed, ✗ some failed, ~ only known failures.
import type { CellRecord } from "./cell-record.js";
import { buildGrids, cellName, documentedLine, markOf, problemCells } from "./grid-model.js";

const pad = (s: string, n: number) => s + " ".repeat(Math.max(0, n - [...s].length));

export function renderGrids(cells: CellRecord[], groupBy: "pattern" | "category" = "pattern"): string {
  const out: string[] = [];
  for (const grid of buildGrids(cells, groupBy)) {
    const rows = grid.clients.map((client, i) => [client, ...grid.squares[i].map(markOf)]);
    const header = ["client \\ server", ...grid.servers];
    const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...r[i]].length)) + 2);
    out.push(`${grid.title}`);
    out.push("  " + header.map((h, i) => pad(h, widths[i])).join(""));
    for (const r of rows) out.push("  " + r.map((v, i) => pad(v, widths[i])).join(""));
    out.push("");
  }
  return out.join("\n");
}

export function renderFailures(cells: CellRecord[]): string {
  const lines: string[] = [];
  for (const c of cells.filter((x) => x.retried && x.status === "passed")) {
    lines.push(`RETRIED, passed on the retry: ${cellName(c)}`);
    lines.push(`    ${c.retried}`);
  }
  for (const c of problemCells(cells)) {
    const tag = c.status === "failed" ? "FAIL" : `KNOWN-FAILING (${c.knownFailingReason})`;
    lines.push(`${tag} ${cellName(c)}`);
    for (const l of (c.error ?? "").split("\n")) lines.push(`    ${l}`);
    if (c.status === "known-failing" && documentedLine(c)) lines.push(`    (${documentedLine(c)})`);
  }
  return lines.join("\n");
}
