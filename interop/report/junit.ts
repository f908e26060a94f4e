// reports/junit.xml: one testcase per cell. Failures carry the comparator's differences; a
// known-failing cell is <skipped> with its reason, so CI dashboards show it, never hide it.
import type { CellRecord } from "./cell-record.js";
import { escapeMarkup as esc } from "./escape.js";
import { documentedLine } from "./grid-model.js";

export function renderJunit(cells: CellRecord[], runtime: string): string {
  const failures = cells.filter((c) => c.status === "failed").length;
  const skipped = cells.filter((c) => c.status === "known-failing" || c.status === "skipped").length;
  const time = cells.reduce((t, c) => t + c.durationMs, 0) / 1000;
  const cases = cells.map((c) => {
    const name = esc(`${c.client} -> ${c.server} | ${c.case}`);
    const attrs = `classname="interop.${runtime}.${esc(c.category)}" name="${name}" time="${(c.durationMs / 1000).toFixed(3)}"`;
    // Notes (never failures) go to system-out, where CI dashboards show a test's output.
    const out = c.notes?.length ? [`      <system-out>${esc(c.notes.map((n) => `note: ${n}`).join("\n"))}</system-out>`] : [];
    const documented = documentedLine(c);
    const body = (inner: string[]) => (inner.length ? `    <testcase ${attrs}>\n${inner.join("\n")}\n    </testcase>` : `    <testcase ${attrs}/>`);
    if (c.status === "failed") return body([`      <failure message="${esc((c.error ?? "").split("\n")[0])}">${esc(c.error ?? "")}</failure>`, ...out]);
    if (c.status === "known-failing") {
      const why = `known-failing: ${c.knownFailingReason}${documented ? `; ${documented}` : ""}`;
      return body([`      <skipped message="${esc(why)}">${esc(c.error ?? "")}</skipped>`, ...out]);
    }
    if (c.status === "skipped") return body([`      <skipped/>`, ...out]);
    return body(out);
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
