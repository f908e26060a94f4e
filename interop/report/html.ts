// reports/index.html: the grids of reports/interop.md as one self-contained page (inline CSS,
// no scripts, no external assets), for CI artifacts. A failed square links to its cells'
// entries below, each with the error and a command that re-runs just that cell. Every piece
// of text from a run (names, errors, addresses) is escaped.
import type { CellRecord } from "./cell-record.js";
import { escapeMarkup as esc } from "./escape.js";
import { buildGrids, cellName, countLine, documentedLine, LEGEND, markOf, MARK, notedCells, problemCells, type Grid } from "./grid-model.js";
import { reproCommand, type RunInfo } from "./repro.js";
import type { Section } from "./sections.js";

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem; color: #1f2328; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; } h3 { font-size: 1rem; }
.grids { display: flex; flex-wrap: wrap; gap: 1.5rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid #d0d7de; padding: .3rem .7rem; text-align: center; }
th.client { text-align: left; }
td.passed { background: #dafbe1; } td.failed { background: #ffebe9; } td.known-failing { background: #fff8c5; }
td a { color: inherit; font-weight: bold; }
section.cell { border-left: 4px solid #cf222e; padding: .2rem 1rem; margin: 1rem 0; }
section.cell.known-failing { border-color: #bf8700; }
pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; white-space: pre-wrap; }
pre.repro { user-select: all; }
`;

/** Where each problem cell's entry is, so grid squares can link to it. */
type Anchors = Map<CellRecord, string>;

function square(grid: Grid, i: number, j: number, anchors: Anchors): string {
  const sq = grid.squares[i][j];
  if (!sq) return "<td></td>";
  const problems = sq.cells.filter((c) => anchors.has(c));
  if (problems.length === 0) return `<td class="${sq.status}">${esc(markOf(sq))}</td>`;
  const title = problems.map((c) => `${c.case}: ${(c.error ?? "").split("\n")[0]}`).join("\n");
  return `<td class="${sq.status}" title="${esc(title)}"><a href="#${anchors.get(problems[0])}">${esc(markOf(sq))}</a></td>`;
}

function table(grid: Grid, anchors: Anchors): string {
  const head = `<tr><th>client \\ server</th>${grid.servers.map((s) => `<th>${esc(s)}</th>`).join("")}</tr>`;
  const rows = grid.clients.map(
    (client, i) => `<tr><th class="client">${esc(client)}</th>${grid.servers.map((_, j) => square(grid, i, j, anchors)).join("")}</tr>`,
  );
  return `<div><h3>${esc(grid.title)}</h3><table>${head}${rows.join("")}</table></div>`;
}

function entry(cell: CellRecord, id: string, run: RunInfo): string {
  const what = cell.status === "failed" ? "failed" : `known-failing: ${cell.knownFailingReason}`;
  const repro =
    cell.status === "failed"
      ? `<p>Re-run just this cell:</p><pre class="repro"><code class="repro">${esc(reproCommand(cell, run))}</code></pre>`
      : "";
  return [
    `<section class="cell ${cell.status}" id="${id}" data-cell="${esc(cellName(cell))}">`,
    `<h3>${MARK[cell.status]} ${esc(cellName(cell))} <small>(${esc(what)})</small></h3>`,
    `<pre class="error">${esc(cell.error ?? "(no error message)")}</pre>`,
    cell.status === "known-failing" && documentedLine(cell) ? `<p class="documented">${esc(documentedLine(cell)!)}</p>` : "",
    repro,
    `</section>`,
  ].join("\n");
}

/** Notes are not failures (e.g. spec-permitted folded metadata): listed per cell, after the failures. */
function notesSection(cells: CellRecord[]): string {
  const noted = notedCells(cells);
  if (!noted.length) return "";
  const items = noted.flatMap((c) => c.notes!.map((n) => `<li><span class="cell-name">${esc(cellName(c))}</span> (${esc(c.status)}): ${esc(n)}</li>`));
  return `<h2>Notes</h2>\n<ul class="notes">\n${items.join("\n")}\n</ul>`;
}

export function renderHtml(cells: CellRecord[], run: RunInfo, sections: Section[] = []): string {
  const problems = problemCells(cells);
  const anchors: Anchors = new Map(problems.map((c, i) => [c, `cell-${i + 1}`]));
  const against = run.serverAddr ? ` · server under test: <code>${esc(run.serverAddr)}</code>` : "";
  const grids = (groupBy: "pattern" | "category") => `<div class="grids">${buildGrids(cells, groupBy).map((g) => table(g, anchors)).join("\n")}</div>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Interop matrix: ${esc(countLine(cells))}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Interop matrix</h1>
<p>${esc(run.runtime)} runtime · ${esc(countLine(cells))}${against}</p>
<p>${esc(LEGEND)}</p>
<h2>By pattern</h2>
${grids("pattern")}
<h2>By case category</h2>
${grids("category")}
${problems.length ? `<h2>Failures</h2>\n${problems.map((c) => entry(c, anchors.get(c)!, run)).join("\n")}` : "<p>No failures.</p>"}
${notesSection(cells)}
${sections.map((s) => s.html).join("\n")}
</body>
</html>
`;
}
