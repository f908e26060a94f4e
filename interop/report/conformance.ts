// The `conformance` section of every report: connectrpc/conformance's results for the grpc-js
// adapters (written by `npm run conformance` to reports/conformance.json). Whichever of
// `npm run interop` and `npm run conformance` runs last writes the reports with both: the report
// writer (write.ts) reads conformance.json, and the conformance CLI re-renders the matrix's
// reports from interop.json.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { escapeMarkup as esc } from "./escape.js";

export type ConformanceCaseStatus = "passed" | "failed" | "known-failing" | "known-flaky";

export interface ConformanceMode {
  /** What the runner tested, e.g. "grpc-js server (conformance/server.ts)". */
  subject: string;
  total: number;
  passed: number;
  failed: number;
  knownFailing: number;
  knownFlaky: number;
  wallMs: number;
  exitCode: number | null;
  /** Why the mode as a whole failed (time limit, runner error, totals that do not add up). */
  error?: string;
  cases: { name: string; status: ConformanceCaseStatus; message?: string }[];
}

export interface ConformanceReport {
  runner: string;
  command: string;
  /** ISO time the run ended: a report may show results of an earlier `npm run conformance`. */
  finishedAt: string;
  modes: Record<string, ConformanceMode>;
}

export const CONFORMANCE_JSON = "conformance.json";

export function loadConformance(dir: string): ConformanceReport | undefined {
  const file = join(dir, CONFORMANCE_JSON);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as ConformanceReport) : undefined;
}

export function modeLine(name: string, m: ConformanceMode): string {
  const flaky = m.knownFlaky ? `, ${m.knownFlaky} known-flaky` : "";
  const failed = m.failed ? `, ${m.failed} FAILED` : "";
  return `${name}: ${m.passed} passed, ${m.knownFailing} known-failing${flaky}${failed} of ${m.total} (${(m.wallMs / 1000).toFixed(1)} s)${m.error ? ` (${m.error})` : ""}`;
}

/** Totals for reports/interop.json: the cases left out. */
export function conformanceTotals(c: ConformanceReport) {
  return Object.fromEntries(Object.entries(c.modes).map(([k, { cases: _cases, ...rest }]) => [k, rest]));
}

const notPassed = (m: ConformanceMode) => m.cases.filter((x) => x.status !== "passed");

export function conformanceMarkdown(c: ConformanceReport): string {
  const out = ["## conformance", "", `${c.runner}, run by \`${c.command}\`, finished ${c.finishedAt}.`, "", "| mode | subject | passed | known-failing | known-flaky | failed | total | wall |", "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"];
  for (const [name, m] of Object.entries(c.modes)) out.push(`| ${name} | ${m.subject} | ${m.passed} | ${m.knownFailing} | ${m.knownFlaky} | ${m.failed} | ${m.total} | ${(m.wallMs / 1000).toFixed(1)} s |`);
  out.push("");
  for (const [name, m] of Object.entries(c.modes)) {
    if (m.error) out.push(`**${name}: ${m.error}**`, "");
    const listed = notPassed(m);
    if (!listed.length) continue;
    out.push(`### ${name}: cases that did not pass`, "");
    for (const x of listed) out.push(`- ${x.status === "failed" ? "✗" : "~"} \`${x.name}\` (${x.status})${x.message ? `: ${x.message.split("\n")[0]}` : ""}`);
    out.push("");
  }
  return out.join("\n");
}

export function conformanceHtml(c: ConformanceReport): string {
  const rows = Object.entries(c.modes)
    .map(([name, m]) => `<tr><td>${esc(name)}</td><td>${esc(m.subject)}</td><td>${m.passed}</td><td>${m.knownFailing}</td><td>${m.knownFlaky}</td><td>${m.failed}</td><td>${m.total}</td><td>${(m.wallMs / 1000).toFixed(1)} s</td></tr>`)
    .join("\n");
  const details = Object.entries(c.modes)
    .map(([name, m]) => {
      const items = notPassed(m).map((x) => `<li class="${esc(x.status)}"><code>${esc(x.name)}</code> (${esc(x.status)})${x.message ? `<pre>${esc(x.message)}</pre>` : ""}</li>`);
      const error = m.error ? `<p><strong>${esc(name)}: ${esc(m.error)}</strong></p>` : "";
      return items.length || error ? `${error}<h3>${esc(name)}: cases that did not pass</h3>\n<ul>\n${items.join("\n")}\n</ul>` : "";
    })
    .join("\n");
  return `<section id="conformance">
<h2>conformance</h2>
<p>${esc(c.runner)}, run by <code>${esc(c.command)}</code>, finished ${esc(c.finishedAt)}.</p>
<table><tr><th>mode</th><th>subject</th><th>passed</th><th>known-failing</th><th>known-flaky</th><th>failed</th><th>total</th><th>wall</th></tr>
${rows}
</table>
${details}
</section>`;
}

/** One <testsuite> per mode; known-failing (and failed known-flaky) cases are <skipped> with the reason. */
export function conformanceJunit(c: ConformanceReport): { xml: string; tests: number; failures: number; skipped: number } {
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const suites = Object.entries(c.modes).map(([name, m]) => {
    const f = m.cases.filter((x) => x.status === "failed").length + (m.error ? 1 : 0);
    const s = m.cases.filter((x) => x.status === "known-failing" || x.status === "known-flaky").length;
    const cases = m.cases.map((x) => {
      const attrs = `classname="conformance.${esc(name)}" name="${esc(x.name)}"`;
      if (x.status === "failed") return `    <testcase ${attrs}>\n      <failure message="${esc((x.message ?? "").split("\n")[0])}">${esc(x.message ?? "")}</failure>\n    </testcase>`;
      if (x.status !== "passed") return `    <testcase ${attrs}>\n      <skipped message="${esc(`${x.status}: ${(x.message ?? "").split("\n")[0]}`)}"/>\n    </testcase>`;
      return `    <testcase ${attrs}/>`;
    });
    if (m.error) cases.push(`    <testcase classname="conformance.${esc(name)}" name="${esc(name)} run">\n      <failure message="${esc(m.error)}"/>\n    </testcase>`);
    tests += cases.length;
    failures += f;
    skipped += s;
    return [`  <testsuite name="conformance ${esc(name)}" tests="${cases.length}" failures="${f}" skipped="${s}" time="${(m.wallMs / 1000).toFixed(3)}">`, ...cases, `  </testsuite>`].join("\n");
  });
  return { xml: suites.join("\n"), tests, failures, skipped };
}

/**
 * Adds the conformance results to the machine-readable reports (file name -> text): its cases to
 * junit.xml, its totals to interop.json. interop.md and index.html get the section through
 * sections.ts, as every companion report does.
 */
export function withConformance(files: Record<string, string>, c: ConformanceReport | undefined): Record<string, string> {
  if (!c) return files;
  const out = { ...files };
  const json = JSON.parse(files["interop.json"]) as Record<string, unknown>;
  out["interop.json"] = JSON.stringify({ ...json, conformance: conformanceTotals(c) }, null, 2) + "\n";
  const j = conformanceJunit(c);
  out["junit.xml"] = files["junit.xml"]
    .replace(/<testsuites ([^>]*)tests="(\d+)" failures="(\d+)" skipped="(\d+)"/, (_m, pre, t, f, s) => `<testsuites ${pre}tests="${Number(t) + j.tests}" failures="${Number(f) + j.failures}" skipped="${Number(s) + j.skipped}"`)
    .replace("</testsuites>", `${j.xml}\n</testsuites>`);
  return out;
}
