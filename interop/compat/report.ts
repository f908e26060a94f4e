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

/**
 * The changes that can explain a failed cell. UNIMPLEMENTED is only explained by a change to a
 * method or service (a field never makes a method disappear). An added field explains a failure
 * only when the failure is about encoding (INTERNAL, serializing) or names that field: a different
 * reply count or value (e.g. from state a server shares between clients) is not blamed on it.
 */
export function causesOfCell(error: string, candidates: Change[]): Change[] {
  if (/UNIMPLEMENTED/.test(error)) return candidates.filter((c) => c.where.some((w) => w.includes("/")) && c.kind !== "added");
  return candidates.filter((c) => {
    if (c.kind !== "added") return true;
    const field = /\.(\w+): field \d+/.exec(c.text)?.[1];
    return /INTERNAL|serializ/i.test(error) || (field !== undefined && error.includes(field));
  });
}

function summary(r: CompatResult) {
  const failedVectors = r.vectors.filter((v) => v.status === "failed").length;
  const failedCells = r.dynamic.cells.filter((c) => c.status === "failed").length;
  const knownFailing = r.dynamic.cells.filter((c) => c.status === "known-failing").length;
  return { violations: r.static.violations.length, failedVectors, failedCells, knownFailing };
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
    const known = cells.filter((c) => c.status === "known-failing");
    out.push(`  ${direction}: ${cells.length - failed.length - known.length} passed, ${failed.length} failed${known.length ? `, ${known.length} known-failing` : ""}`);
    // Identical failures (same method, same difference) are one entry with a count.
    const groups = new Map<string, typeof failed>();
    for (const c of failed) groups.set(`${c.method}\0${c.error}`, [...(groups.get(`${c.method}\0${c.error}`) ?? []), c]);
    for (const group of groups.values()) {
      const c = group[0];
      out.push(`  ✗ ${c.id}`, ...(c.error ?? "").split("\n").map((l) => `      ${l}`), ...because(causesOfCell(c.error ?? "", causesFor(c.method, base, work, r.changes))));
      if (group.length > 1) out.push(`      ×${group.length}: the same difference in ${group.slice(1).map((g) => g.id).join("; ")}`);
    }
  }
  for (const p of r.uncovered ?? []) out.push(`  ${r.verdict === "UNCOVERED" ? "✗" : "~"} no case exercises ${p}: add cases or pass --allow-uncovered`);
  if (r.sent) {
    const seen = r.sent.filter((s) => s.seenBy.length);
    out.push(`  added fields sent by the new clients: ${r.sent.length} value(s), ${seen.length} decoded by a new stub`);
    for (const field of new Set(seen.map((s) => s.field))) {
      const mine = seen.filter((s) => s.field === field);
      out.push(`    ✓ ${field}: ${mine.length} value(s) in case(s) ${[...new Set(mine.map((s) => s.case))].join(", ")} (e.g. ${mine[0].path}), each decoded by the stubs`);
    }
    for (const s of r.sent.filter((x) => !x.seenBy.length)) out.push(`  ✗ ${s.field} (case ${s.case}, ${s.path}): sent, but no stub decoded it`);
  }
  out.push("");

  const s = summary(r);
  out.push(
    `verdict: ${r.verdict} (static: ${s.violations} violation(s); vectors: ${s.failedVectors} failed; dynamic: ${s.failedCells} of ${r.dynamic.cells.length} cells failed${s.knownFailing ? `, ${s.knownFailing} known-failing` : ""}${r.uncovered?.length ? `; ${r.uncovered.length} touched package(s) without a case` : ""}) in ${(r.durationMs / 1000).toFixed(1)} s`,
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
      cells: r.dynamic.cells.map((c) => (c.status === "failed" ? { ...c, causes: texts(causesOfCell(c.error ?? "", causesFor(c.method, base, work, r.changes))) } : c)),
    },
    ...(r.uncovered ? { uncovered: r.uncovered } : {}),
    ...(r.sent ? { sent: r.sent } : {}),
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(doc, null, 2) + "\n");
}
