// The client x server grids every report format draws (terminal, Markdown, HTML): one grid per
// group (a pattern or a case category), each square summing up that pair's cells in the group.
import type { CellRecord, CellStatus } from "./cell-record.js";

export interface Square {
  /** failed if any cell failed; else known-failing if any is; else passed if any passed. */
  status: CellStatus;
  passed: number;
  cells: CellRecord[];
}

export interface Grid {
  /** The pattern or category name. */
  title: string;
  clients: string[];
  servers: string[];
  /** squares[i][j]: clients[i] against servers[j]; undefined when the pair has no cell here. */
  squares: (Square | undefined)[][];
}

export function summarize(cells: CellRecord[]): Square | undefined {
  if (cells.length === 0) return undefined;
  const passed = cells.filter((c) => c.status === "passed").length;
  const status: CellStatus = cells.some((c) => c.status === "failed")
    ? "failed"
    : cells.some((c) => c.status === "known-failing")
      ? "known-failing"
      : passed
        ? "passed"
        : "skipped";
  return { status, passed, cells };
}

export function buildGrids(cells: CellRecord[], groupBy: "pattern" | "category"): Grid[] {
  const clients = [...new Set(cells.map((c) => c.client))];
  const servers = [...new Set(cells.map((c) => c.server))];
  return [...new Set(cells.map((c) => c[groupBy]))].map((title) => {
    const inGroup = cells.filter((c) => c[groupBy] === title);
    const squares = clients.map((client) => servers.map((server) => summarize(inGroup.filter((c) => c.client === client && c.server === server))));
    return { title, clients, servers, squares };
  });
}

export const MARK: Record<CellStatus, string> = { passed: "✓", failed: "✗", "known-failing": "~", skipped: "-" };

/** "✓" for a single cell, "✗ 1/2" (passed of total) for several. */
export function markOf(square: Square | undefined): string {
  if (!square) return " ";
  return square.cells.length === 1 ? MARK[square.status] : `${MARK[square.status]} ${square.passed}/${square.cells.length}`;
}

/** The cells a reader must look at: failures first, then known failures. */
export const problemCells = (cells: CellRecord[]) => [
  ...cells.filter((c) => c.status === "failed"),
  ...cells.filter((c) => c.status === "known-failing"),
];

export const cellName = (c: CellRecord) => `${c.client} -> ${c.server} | ${c.case}`;

/** "36 cells: 35 passed, 1 failed, 0 known-failing": the headline of the Markdown and HTML reports. */
export function countLine(cells: CellRecord[]): string {
  const n = (s: CellStatus) => cells.filter((c) => c.status === s).length;
  const skipped = n("skipped") ? `, ${n("skipped")} skipped` : "";
  return `${cells.length} cells: ${n("passed")} passed, ${n("failed")} failed, ${n("known-failing")} known-failing${skipped}`;
}

export const LEGEND = "✓ passed · ✗ failed · ~ known-failing (fixtures/known-failing.json) · with several cases in a square, passed/total";

/** Cells that carry notes (never failures): e.g. metadata folded into one value, as the spec permits. */
export const notedCells = (cells: CellRecord[]) => cells.filter((c) => c.notes?.length);

/** "documented difference: /re/, /re2/" for a cell under a known-failing or known-flaky entry. */
export const documentedLine = (c: CellRecord) =>
  c.documentedDifference?.length ? `documented difference: ${c.documentedDifference.map((p) => `/${p}/`).join(", ")}` : undefined;
