// `npm run conformance` inside `npm test`: both modes of connectconformance against the grpc-js
// adapters, asserting the totals and that nothing failed unexpectedly; then checks that the
// harness can fail: a server adapter that drops trailers fails the cases that check them, and a
// known-failing entry for a case that passes fails the run.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { REPORTS_DIR, ROOT } from "../interop/paths.js";
import type { ConformanceReport } from "../interop/report/conformance.js";
import { knownFailingFile, runMode } from "./run-mode.js";

const LIMIT = { timeLimitMs: 240_000 };

describe("npm run conformance", () => {
  it("runs both modes; every case passes or is listed, and the reports carry the results", async () => {
    // Into the run's reports/ (or $INTEROP_REPORTS_DIR), so that `npm test`'s reports carry them.
    const reports = REPORTS_DIR;
    const r = await execa("npx", ["tsx", "conformance/cli.ts"], { cwd: ROOT, reject: false, timeout: 600_000 });
    const out = `${r.stdout}\n${r.stderr}`;
    expect(r.exitCode, out).toBe(0);
    const json = JSON.parse(readFileSync(join(reports, "conformance.json"), "utf8")) as ConformanceReport;
    for (const [mode, m] of Object.entries(json.modes)) {
      expect(m.error, mode).toBeUndefined();
      expect(m.failed, mode).toBe(0);
      // The gRPC-protocol permutations of v1.0.7 for the declared features (conformance/config.yaml).
      expect(m.total, mode).toBe(mode === "server" ? 570 : 646);
      expect(m.passed + m.knownFailing + m.knownFlaky, mode).toBe(m.total);
      expect(m.cases.length, mode).toBe(m.total);
      // Most of the suite must pass; a config or adapter that quietly skipped it would not.
      expect(m.passed, mode).toBeGreaterThan(m.total * 0.8);
      expect(out).toContain(`${mode}: ${m.passed} passed, ${m.knownFailing} known-failing`);
    }
    // The conformance section in every report.
    expect(readFileSync(join(reports, "interop.md"), "utf8")).toContain("## conformance");
    expect(readFileSync(join(reports, "index.html"), "utf8")).toContain('<section id="conformance">');
    const junit = readFileSync(join(reports, "junit.xml"), "utf8");
    expect(junit).toContain('<testsuite name="conformance server" tests="570"');
    expect(junit).toContain('<testsuite name="conformance client" tests="646"');
    const interop = JSON.parse(readFileSync(join(reports, "interop.json"), "utf8"));
    expect(interop.conformance.server.passed).toBe(json.modes.server.passed);
  }, 620_000);

  it("fails when the server adapter drops the trailers it was asked to send (mutation)", async () => {
    const m = await runMode("server", { ...LIMIT, only: ["Errors/**/error-with-metadata"], env: { CONFORMANCE_MUTANT: "drop-trailers" } });
    expect(m.total).toBe(24);
    expect(m.failed).toBe(24);
    for (const c of m.cases) expect(c.message).toMatch(/trailers missing "x-custom-trailer"/);
    const healthy = await runMode("server", { ...LIMIT, only: ["Errors/**/error-with-metadata"] });
    expect([healthy.passed, healthy.failed]).toEqual([24, 0]);
  }, 300_000);

  it("fails a known-failing entry whose case passes (the runner catches stale entries)", async () => {
    const list = join(mkdtempSync(join(tmpdir(), "conformance-list-")), "known-failing.txt");
    writeFileSync(list, `${readFileSync(knownFailingFile("server"), "utf8")}\n# passes: a stale entry\nBasic/**/unimplemented\n`);
    const m = await runMode("server", { ...LIMIT, only: ["Basic/**/unimplemented"], knownFailing: list });
    expect(m.total).toBeGreaterThan(0);
    expect(m.failed).toBe(m.total);
    for (const c of m.cases) expect(c.message).toMatch(/listed as known-failing, but passed/);
  }, 300_000);

  it("kills the runner and its adapter past the time limit, and judges nothing it did not finish", async () => {
    const m = await runMode("server", { timeLimitMs: 2_000 });
    expect(m.error).toMatch(/did not finish within 2 s and was killed/);
    expect(m.passed).toBe(0);
    const left = await execa("pgrep", ["-f", `${ROOT}/.build/bin/connectconformance|node .*conformance/server.ts`], { reject: false });
    expect(left.stdout.trim(), "processes left behind").toBe("");
  }, 60_000);
});
