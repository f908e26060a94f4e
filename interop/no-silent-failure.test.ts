// No run fails silently: a bad fixture is one error line saying what is wrong (from the CLI, and
// from the matrix worker when it is run directly, as `npm test` does), and the previous run's
// reports are gone, so none can be read as this run's.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, test } from "vitest";
import { FIXTURES_DIR, ROOT } from "./paths.js";
import { REPORT_FILES } from "./report/files.js";

const dir = mkdtempSync(join(tmpdir(), "no-silent-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of fixtures/ with one edit. */
function fixturesWith(name: string, edit: (root: string) => void): string {
  const root = join(dir, name);
  cpSync(FIXTURES_DIR, root, { recursive: true });
  edit(root);
  return root;
}
const editJson = (path: string, change: (doc: any) => void) => {
  const doc = JSON.parse(readFileSync(path, "utf8"));
  change(doc);
  writeFileSync(path, JSON.stringify(doc));
};
/** A reports folder holding an earlier run's reports. */
function staleReports(name: string): string {
  const reports = join(dir, name);
  mkdirSync(reports, { recursive: true });
  for (const f of REPORT_FILES) writeFileSync(join(reports, f), "from an earlier run");
  return reports;
}

const unknownMethod = () =>
  fixturesWith("unknown-method", (root) =>
    editJson(join(root, "cases", "core.json"), (doc) => doc.cases.push({ name: "calls-nothing", method: "nope.Nowhere/Missing", requests: [{}], expect: { status: "OK" } })),
  );

describe("a bad fixture", () => {
  test("a case naming a method no proto defines: one error line from the CLI, exit 2, no stale reports", async () => {
    const reports = staleReports("cli-reports");
    const r = await execa(process.execPath, ["--import", "tsx", "interop/cli.ts", "--runtime", "process", "--case", "unary"], {
      cwd: ROOT, reject: false, timeout: 120_000, env: { INTEROP_FIXTURES_DIR: unknownMethod(), INTEROP_REPORTS_DIR: reports },
    });
    expect(r.exitCode).toBe(2);
    const lines = String(r.stderr).trim().split("\n").filter((l) => !l.startsWith("setup:"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: .*cases\/core\.json: case "calls-nothing": unknown method nope\.Nowhere\/Missing: no \.proto under proto\/ defines the service nope\.Nowhere$/);
    for (const f of REPORT_FILES) expect(existsSync(join(reports, f)), f).toBe(false);
    expect(`${r.stdout}${r.stderr}`).not.toContain("[object Object]");
  }, 150_000);

  test("the same fixture in the matrix worker (npm test's path): an error line, not a bare '0 passed, 1 failed'", async () => {
    const reports = staleReports("worker-reports");
    const r = await execa(process.execPath, [join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "interop/matrix.test.ts", "--reporter=./interop/report/vitest-reporter.ts"], {
      cwd: ROOT, reject: false, timeout: 120_000,
      env: { INTEROP_FIXTURES_DIR: unknownMethod(), INTEROP_REPORTS_DIR: reports, INTEROP_RUNTIME: "process", INTEROP_FILTERS: JSON.stringify({ case: ["unary"] }) },
    });
    expect(r.exitCode).not.toBe(0);
    const out = String(r.stdout);
    expect(out).toMatch(/^error: interop\/matrix\.test\.ts: .*case "calls-nothing": unknown method nope\.Nowhere\/Missing/m);
    for (const f of REPORT_FILES) expect(existsSync(join(reports, f)), f).toBe(false);
    expect(`${r.stdout}${r.stderr}`).not.toContain("[object Object]");
  }, 150_000);

  test("a known-failing entry without its difference: one error line, exit 2", async () => {
    const fixtures = fixturesWith("no-difference", (root) =>
      editJson(join(root, "known-failing.json"), (doc) => doc.entries.push({ client: "ts", case: "unary", reason: "because" })),
    );
    const r = await execa(process.execPath, ["--import", "tsx", "interop/cli.ts", "--runtime", "process", "--case", "unary"], {
      cwd: ROOT, reject: false, timeout: 120_000, env: { INTEROP_FIXTURES_DIR: fixtures, INTEROP_REPORTS_DIR: join(dir, "r3") },
    });
    expect(r.exitCode).toBe(2);
    const lines = String(r.stderr).trim().split("\n").filter((l) => !l.startsWith("setup:"));
    expect(lines).toEqual([expect.stringMatching(/^error: .*known-failing\.json: entry \{"client":"ts","case":"unary","reason":"because"\} has no "difference": add the regex/)]);
  }, 150_000);
});
