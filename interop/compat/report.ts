// The compat report: one section per check, each failure followed by the contract changes that
// explain it (↳ lines, from the descriptor diff), then the verdict. The same content, as data,
// goes to reports/compat.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { causesFor, type Change } from "./descriptors.js";
import type { CompatResult } from "./run.js";

/** The changes behind a buf violation: buf's message names the message ("on message \"X\""). */
function causesOfViolation(message: string, r: CompatResult): Change[] {
  const names = [...message.matchAll(/(?:message|enum|service) "([^"]+)"/g)].map((m) => m[1]);
  return r.changes.filter((c) => c.kind !== "added" && c.where.some((w) => names.some((n) => w === n || w.endsWith(`.${n}`) || w.split("/")[0].endsWith(`.${n}`))));
}

const because = (changes: Change[]) => changes.map((c) => `      ↳ ${c.text}`);

function summary(r: CompatResult) {
  const failedVectors = r.vectors.filter((v) => v.status === "failed").length;
  const failedCells = r.dynamic.cells.filter((c) => c.status === "failed").length;
  return { violations: r.static.violations.length, failedVectors, failedCells };
}

export function formatReport(r: CompatResult): string {
  const out: string[] = [];
  const { base, work } = r.contracts;
  out.push(`compat: working tree of ${r.repo} against base ${r.base.ref} (${r.base.commit.slice(0, 12)})`, "");

  out.push("contract changes (descriptor diff, base -> working tree)");
  if (r.changes.length === 0) out.push("  none");
  for (const c of r.changes) out.push(`  ${c.kind.padEnd(8)} ${c.text}`);
  out.push("");

  out.push(`static: buf breaking, rules ${r.static.rules}`);
  for (const v of r.static.violations) out.push(`  ✗ ${v.location}  ${v.rule}: ${v.message}`, ...because(causesOfViolation(v.message, r)));
  out.push(`  ${r.static.violations.length} violation(s)`, "");

  out.push("vectors: golden bytes decoded and re-encoded with the working tree's code (ts, go, python)");
  for (const v of r.vectors.filter((x) => x.status === "failed")) out.push(`  ✗ ${v.language} ${v.vector}: ${v.detail}`, ...because(causesFor(v.type, base, work, r.changes)));
  const known = r.vectors.filter((x) => x.status === "known-difference");
  for (const lang of new Set(known.map((k) => k.language))) {
    const mine = known.filter((k) => k.language === lang);
    out.push(`  ~ ${lang}: known difference in ${mine.length} vector(s), not a failure: ${mine[0].reason}`);
    for (const k of mine) out.push(`      ${k.vector}: ${k.detail}`);
  }
  for (const v of r.vectors.filter((x) => x.status === "skipped")) out.push(`  - ${v.language} ${v.vector}: skipped, ${v.detail}`);
  const count = (s: string) => r.vectors.filter((v) => v.status === s).length;
  out.push(`  ${count("passed")} passed, ${count("failed")} failed, ${known.length} known difference(s), ${count("skipped")} skipped`, "");

  out.push("dynamic: peers built from the base's protos against peers built from the working tree's");
  for (const note of r.dynamic.notes) out.push(`  note: ${note}`);
  for (const direction of new Set(r.dynamic.cells.map((c) => c.direction))) {
    const cells = r.dynamic.cells.filter((c) => c.direction === direction);
    const failed = cells.filter((c) => c.status === "failed");
    out.push(`  ${direction}: ${cells.length - failed.length} passed, ${failed.length} failed`);
    for (const c of failed) {
      out.push(`  ✗ ${c.id}`, ...(c.error ?? "").split("\n").map((l) => `      ${l}`), ...because(causesFor(c.method, base, work, r.changes)));
    }
  }
  out.push("");

  const s = summary(r);
  out.push(
    `verdict: ${r.verdict} (static: ${s.violations} violation(s); vectors: ${s.failedVectors} failed; dynamic: ${s.failedCells} of ${r.dynamic.cells.length} cells failed) in ${(r.durationMs / 1000).toFixed(1)} s`,
  );
  return out.join("\n");
}

/** reports/compat.json: the verdict and every check's details, failures with their causes. */
export function writeJsonReport(path: string, r: CompatResult): void {
  const { base, work } = r.contracts;
  const texts = (cs: Change[]) => cs.map((c) => c.text);
  const doc = {
    verdict: r.verdict,
    repo: r.repo,
    base: r.base,
    durationMs: r.durationMs,
    summary: summary(r),
    changes: r.changes.map(({ kind, text }) => ({ kind, text })),
    static: { rules: r.static.rules, violations: r.static.violations.map((v) => ({ ...v, causes: texts(causesOfViolation(v.message, r)) })) },
    vectors: r.vectors.map((v) => (v.status === "failed" ? { ...v, causes: texts(causesFor(v.type, base, work, r.changes)) } : v)),
    dynamic: {
      notes: r.dynamic.notes,
      cells: r.dynamic.cells.map((c) => (c.status === "failed" ? { ...c, causes: texts(causesFor(c.method, base, work, r.changes)) } : c)),
    },
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(doc, null, 2) + "\n");
}
