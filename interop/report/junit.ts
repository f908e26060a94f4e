// reports/junit.xml: one testcase per cell. Failures carry the comparator's differences; a
// known-failing cell is <skipped> with its reason, so CI dashboards show it, never hide it.
import type { CellRecord } from "./cell-record.js";
import { escapeMarkup as esc } from "./escape.js";

export function renderJunit(cells: CellRecord[], runtime: string): string {
  const failures = cells.filter((c) => c.status === "failed").length;
  const skipped = cells.filter((c) => c.status === "known-failing" || c.status === "skipped").length;
  const time = cells.reduce((t, c) => t + c.durationMs, 0) / 1000;
  const cases = cells.map((c) => {
    const name = esc(`${c.client} -> ${c.server} | ${c.case}`);
    const attrs = `classname="interop.${runtime}.${esc(c.category)}" name="${name}" time="${(c.durationMs / 1000).toFixed(3)}"`;
    if (c.status === "failed") return `    <testcase ${attrs}>\n      <failure message="${esc((c.error ?? "").split("\n")[0])}">${esc(c.error ?? "")}</failure>\n    </testcase>`;
    if (c.status === "known-failing") return `    <testcase ${attrs}>\n      <skipped message="${esc(`known-failing: ${c.knownFailingReason}`)}"/>\n    </testcase>`;
    if (c.status === "skipped") return `    <testcase ${attrs}>\n      <skipped/>\n    </testcase>`;
    return `    <testcase ${attrs}/>`;
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="grpc-interop" tests="${cells.length}" failures="${failures}" skipped="${skipped}" time="${time.toFixed(3)}">`,
    `  <testsuite name="interop (${runtime})" tests="${cells.length}" failures="${failures}" skipped="${skipped}" time="${time.toFixed(3)}">`,
    ...cases,
    `  </testsuite>`,
    `</testsuites>`,
    "",
  ].join("\n");
}
