// reports/perf.json shown to people: a table for the terminal and interop.md, and bar charts
// (inline SVG, no scripts) for index.html. Every figure comes with its ratio to go -> go.
import { escapeMarkup as esc } from "../report/escape.js";
import { figure, METRICS, type PerfCell, type PerfReport } from "./contract.js";

const fmt = (v: number | undefined, unit: string) =>
  v === undefined ? "-" : unit === "ms" ? v.toFixed(v < 10 ? 2 : 1) : v >= 1000 ? `${(v / 1000).toFixed(1)}k` : v.toFixed(0);
const ratio = (c: PerfCell, key: string) => (c.ratios?.[key] === undefined ? "" : ` (${c.ratios[key].toFixed(2)}x)`);
const pair = (c: PerfCell) => `${c.client} -> ${c.server}`;

function rows(report: PerfReport): string[][] {
  return report.cells.map((c) => [pair(c), ...METRICS.map((m) => (c.error && figure(c.figures, m.key) === undefined ? "-" : fmt(figure(c.figures, m.key), m.unit) + ratio(c, m.key)))]);
}

const header = ["client -> server", ...METRICS.map((m) => m.label)];
const errorsOf = (r: PerfReport) => r.cells.filter((c) => c.error).map((c) => `${pair(c)}: ${c.error}`);
const about = (r: PerfReport) =>
  `payload ${r.settings.payloadBytes} B, ${r.settings.budgetMs} ms per measurement, one cell at a time; ` +
  `${r.machine.cpus} cores (${r.machine.model}), node ${r.machine.node}; ratios are to go -> go in this run ` +
  `(latency: above 1 is slower; rates: below 1 is slower); run took ${(r.wallMs / 1000).toFixed(1)} s`;

export function renderPerfTable(r: PerfReport): string {
  const all = [header, ...rows(r)];
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)) + 2);
  const line = (row: string[]) => "  " + row.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("");
  const errors = errorsOf(r);
  return [line(header), ...rows(r).map(line), "", `  ${about(r)}`, ...(errors.length ? ["", "  problems:", ...errors.map((e) => `    ${e}`)] : [])].join("\n");
}

const md = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function perfMarkdown(r: PerfReport): string {
  const errors = errorsOf(r);
  return [
    "## Performance (npm run perf)",
    "",
    about(r),
    "",
    `| ${header.map(md).join(" | ")} |`,
    `| --- | ${METRICS.map(() => "---:").join(" | ")} |`,
    ...rows(r).map((row) => `| ${row.map(md).join(" | ")} |`),
    ...(errors.length ? ["", "Problems:", "", ...errors.map((e) => `- ${md(e)}`)] : []),
    "",
  ].join("\n");
}

/** One horizontal bar chart per metric, bars scaled to the metric's largest value. */
function chart(r: PerfReport, metric: (typeof METRICS)[number]): string {
  const bars = r.cells.map((c) => ({ label: pair(c), value: figure(c.figures, metric.key), ratio: c.ratios?.[metric.key] }));
  const max = Math.max(...bars.map((b) => b.value ?? 0), 1e-9);
  const rowH = 18;
  const labelW = 150;
  const barW = 260;
  const h = bars.length * rowH + 24;
  const body = bars
    .map((b, i) => {
      const y = 20 + i * rowH;
      const w = b.value === undefined ? 0 : Math.max(1, (b.value / max) * barW);
      const text = b.value === undefined ? "no figure" : `${fmt(b.value, metric.unit)} ${metric.unit === "ms" ? "ms" : ""}${b.ratio === undefined ? "" : ` · ${b.ratio.toFixed(2)}x`}`;
      return `<text x="0" y="${y + 12}" font-size="11">${esc(b.label)}</text><rect x="${labelW}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${b.label === "go -> go" ? "#8250df" : "#0969da"}"/><text x="${labelW + w + 4}" y="${y + 12}" font-size="11">${esc(text)}</text>`;
    })
    .join("");
  const title = `${metric.label} (${metric.higherIsBetter ? "higher is better" : "lower is better"})`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${labelW + barW + 140}" height="${h}" role="img" aria-label="${esc(title)}"><text x="0" y="12" font-size="12" font-weight="bold">${esc(title)}</text>${body}</svg>`;
}

export function perfHtml(r: PerfReport): string {
  const errors = errorsOf(r);
  const head = `<tr>${header.map((h) => `<th>${esc(h)}</th>`).join("")}</tr>`;
  const body = rows(r).map((row) => `<tr>${row.map((v, i) => (i === 0 ? `<th class="client">${esc(v)}</th>` : `<td>${esc(v)}</td>`)).join("")}</tr>`).join("");
  return [
    `<h2>Performance (npm run perf)</h2>`,
    `<p>${esc(about(r))}</p>`,
    `<div class="grids">${METRICS.map((m) => chart(r, m)).join("\n")}</div>`,
    `<table>${head}${body}</table>`,
    errors.length ? `<ul>${errors.map((e) => `<li>${esc(e)}</li>`).join("")}</ul>` : "",
  ].join("\n");
}
