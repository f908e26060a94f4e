// reports/interop.md (and the GitHub step summary): the client x server grids per pattern and
// per case category, then every failure with its error and the command that re-runs it.
import type { CellRecord } from "./cell-record.js";
import { buildGrids, cellName, countLine, documentedLine, LEGEND, markOf, MARK, notedCells, problemCells, type Grid } from "./grid-model.js";
import { reproCommand, type RunInfo } from "./repro.js";
import type { Section } from "./sections.js";

/** Table cells hold names and marks only; still, a "|" would split the cell. */
const cellText = (s: string) => s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\n/g, " ");

/** A fenced block that no backtick run inside the text can close early. */
function fenced(text: string, lang = ""): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${lang}\n${text}\n${fence}`;
}

function table(grid: Grid): string {
  const rows = [
    `| client \\\\ server | ${grid.servers.map(cellText).join(" | ")} |`,
    `| --- | ${grid.servers.map(() => ":---:").join(" | ")} |`,
    ...grid.clients.map((client, i) => `| **${cellText(client)}** | ${grid.squares[i].map((s) => cellText(markOf(s))).join(" | ")} |`),
  ];
  return `### ${cellText(grid.title)}\n\n${rows.join("\n")}`;
}

export function renderMarkdown(cells: CellRecord[], run: RunInfo, sections: Section[] = []): string {
  const against = run.serverAddr ? ` · server under test: \`${run.serverAddr}\`` : "";
  const out = [
    `# Interop matrix`,
    "",
    `${run.runtime} runtime · ${countLine(cells)}${against}`,
    "",
    `${LEGEND}`,
    "",
    "## By pattern",
    "",
    ...buildGrids(cells, "pattern").flatMap((g) => [table(g), ""]),
    "## By case category",
    "",
    ...buildGrids(cells, "category").flatMap((g) => [table(g), ""]),
  ];
  const problems = problemCells(cells);
  if (problems.length) {
    out.push("## Failures", "");
    for (const c of problems) {
      const what = c.status === "failed" ? "failed" : `known-failing: ${c.knownFailingReason}`;
      out.push(`### ${MARK[c.status]} ${cellText(cellName(c))} (${cellText(what)})`, "", fenced(c.error ?? "(no error message)", "text"), "");
      if (c.status === "known-failing" && documentedLine(c)) out.push(`${cellText(documentedLine(c)!)}`, "");
      if (c.status === "failed") out.push("Re-run just this cell:", "", fenced(reproCommand(c, run), "sh"), "");
    }
  }
  const noted = notedCells(cells);
  if (noted.length) {
    out.push("## Notes", "", "Not failures: what a cell did that the spec permits but a reader may want to know.", "");
    for (const c of noted) for (const n of c.notes!) out.push(`- ${cellText(cellName(c))} (${c.status}): ${cellText(n)}`);
    out.push("");
  }
  for (const s of sections) out.push(s.markdown);
  return out.join("\n");
}
