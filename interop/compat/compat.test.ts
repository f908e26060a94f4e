// End to end: `npm run compat` on a throwaway git repository whose base commit holds the
// project's proto/ and whose working tree holds one of the edited contracts in fixtures/compat/.
// The real proto/ is never touched.
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, test } from "vitest";
import { FIXTURES_DIR, ROOT } from "../paths.js";

const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A repository with proto/ committed on main, then `edited` (if any) in the working tree. */
function repoWith(edited?: string, { git = true } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "compat-test-"));
  temps.push(dir);
  cpSync(join(ROOT, "proto"), join(dir, "proto"), { recursive: true }); // nested package folders too
  if (git) {
    const run = (...args: string[]) => execFileSync("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@t", ...args], { stdio: "ignore" });
    run("init", "-q", "-b", "main");
    run("add", "-A");
    run("commit", "-qm", "base");
  }
  if (edited) copyFileSync(edited, join(dir, "proto", "greeter.proto"));
  return dir;
}

async function compat(repo: string, ...args: string[]) {
  const report = join(repo, "compat.json");
  const r = await execa(process.execPath, ["--import", "tsx", join(ROOT, "scripts/compat.ts"), "--repo", repo, "--report", report, ...args], { cwd: ROOT, reject: false, timeout: 280_000 });
  const json = () => JSON.parse(readFileSync(report, "utf8"));
  return { code: r.exitCode, out: String(r.stdout), err: String(r.stderr), json };
}

/** The lines of one section of the text report ("static:", "vectors:", "dynamic:"). */
const section = (out: string, name: string) => out.split("\n\n").find((s) => s.startsWith(name)) ?? "";

describe("npm run compat", () => {
  test("a field-number change is BREAKING, and the static and dynamic checks both name the field", async () => {
    const r = await compat(repoWith(join(FIXTURES_DIR, "compat/breaking/greeter.proto")));
    expect(r.code, r.out + r.err).toBe(1);
    expect(r.out).toMatch(/^verdict: BREAKING/m);
    const field = "greeter.HelloReply.message: field number changed 1 -> 2";

    const staticPart = section(r.out, "static:");
    expect(staticPart).toMatch(/✗ proto\/greeter\.proto:26:\d+ +FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED: .*"message" on message "HelloReply"/);
    expect(staticPart).toContain(`↳ ${field}`);

    const dynamicPart = section(r.out, "dynamic:");
    expect(dynamicPart).toMatch(/✗ \w+ -> \w+ \| unary\n\s+reply\[0\]\.message: expected "Hello interop", got ""\n\s+↳ greeter\.HelloReply\.message: field number changed 1 -> 2/);
    expect(section(r.out, "vectors:")).toContain(`↳ ${field}`);

    const json = r.json();
    expect(json.verdict).toBe("BREAKING");
    expect(json.static.violations[0].causes).toContain(field);
    const failed = json.dynamic.cells.filter((c: { status: string }) => c.status === "failed");
    // Both directions, every client (3) x server (4) pair: exactly the cells of the cases that read HelloReply.
    type Cell = { id: string; method: string };
    const ids = (cells: Cell[]) => cells.map((c) => c.id).sort();
    expect(ids(failed)).toEqual(ids(json.dynamic.cells.filter((c: Cell) => c.method === "greeter.Greeter/SayHello")));
    expect(failed.length).toBeGreaterThanOrEqual(24);
    for (const cell of failed) expect(cell.causes).toContain(field);
  }, 300_000);

  test("an additive edit (new fields, RPC and enum) is COMPATIBLE", async () => {
    const r = await compat(repoWith(join(FIXTURES_DIR, "compat/additive/greeter.proto")));
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toMatch(/^verdict: COMPATIBLE/m);
    expect(r.out).toContain("greeter.Greeter/SayGoodbye: method added");
    // New clients really sent the new fields to old servers, which ignored them.
    expect(r.out).toMatch(/case unary sends greeter\.HelloRequest\.language = "LANGUAGE_FRENCH"/);
    const json = r.json();
    expect(json.verdict).toBe("COMPATIBLE");
    expect(json.static.violations).toEqual([]);
    // The greeter cases (the package the edit touches), each on all 12 pairs, both directions.
    const ran = new Set(json.dynamic.cells.map((c: { id: string }) => c.id.split(" | ")[1]));
    expect([...ran]).toEqual(expect.arrayContaining(["unary", "server-streaming", "client-streaming", "bidi"]));
    expect(json.dynamic.cells).toHaveLength(24 * ran.size);
    expect(json.vectors.filter((v: { status: string }) => v.status === "failed")).toEqual([]);
  }, 300_000);
});

describe("npm run compat: bad input is one error line and exit 2", () => {
  const oneLineError = (r: { code?: number; out: string; err: string }, pattern: RegExp) => {
    expect(r.code).toBe(2);
    const lines = r.err.split("\n").filter((l) => l.startsWith("error: "));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
  };

  test("a base ref that does not exist", async () => {
    oneLineError(await compat(repoWith(), "--base", "no-such-ref"), /^error: base "no-such-ref" is not a commit in .*: pass --base/);
  });

  test("not a git repository", async () => {
    oneLineError(await compat(repoWith(undefined, { git: false })), /^error: .* is not a git repository: /);
  });

  test("a working-tree .proto that does not compile", async () => {
    const repo = repoWith();
    writeFileSync(join(repo, "proto", "greeter.proto"), readFileSync(join(repo, "proto", "greeter.proto"), "utf8") + "\nmessage Broken {\n");
    oneLineError(await compat(repo), /^error: the working tree's protos do not compile: proto\/greeter\.proto:\d+:\d+: ?.*: fix the \.proto/);
  });

  test("a base .proto that does not compile", async () => {
    const repo = repoWith();
    const proto = join(repo, "proto", "greeter.proto");
    const good = readFileSync(proto, "utf8");
    writeFileSync(proto, good + "\nmessage Broken {\n");
    execFileSync("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "broken"]);
    writeFileSync(proto, good);
    oneLineError(await compat(repo), /^error: the base HEAD \(on main\) \(\w+\) protos do not compile: proto\/greeter\.proto:\d+:\d+/);
  });
});
