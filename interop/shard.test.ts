// --shard i/n and `npm run reports -- merge`: shards split by client -> server pair, together
// they run every cell exactly once, and their merged reports hold the cells of a single run.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, test } from "vitest";
import { UsageError } from "./errors.js";
import { ROOT } from "./paths.js";
import { parseShard, selectShard } from "./shard.js";

describe("parseShard", () => {
  test.each(["0/2", "3/2", "1/0", "a/b", "1", "1/2/3", "2/65"])("rejects %s with one line saying what to write", (bad) => {
    expect(() => parseShard(bad)).toThrow(UsageError);
    expect(() => parseShard(bad)).toThrow(/write i\/n with 1 <= i <= n <= 64/);
  });
  test("reads i/n", () => expect(parseShard("2/3")).toEqual({ index: 2, total: 3 }));
});

describe("selectShard", () => {
  // An uneven matrix: pair sizes 1..12, as filters and per-server case lists make them.
  const cells = Array.from({ length: 12 }, (_, p) => Array.from({ length: p + 1 }, (_, i) => ({ client: `c${p % 3}`, server: `s${p}`, n: i }))).flat();

  test.each([1, 2, 3, 5, 12, 20])("with n=%i every cell runs in exactly one shard, and no pair is split", (n) => {
    const shards = Array.from({ length: n }, (_, i) => selectShard(cells, { index: i + 1, total: n }));
    expect(shards.flat()).toHaveLength(cells.length);
    expect(new Set(shards.flat())).toEqual(new Set(cells));
    for (const pair of new Set(cells.map((c) => `${c.client}>${c.server}`))) {
      expect(shards.filter((s) => s.some((c) => `${c.client}>${c.server}` === pair))).toHaveLength(1);
    }
  });

  test("is deterministic and keeps plan order, whatever order the cells come in", () => {
    const a = selectShard(cells, { index: 2, total: 3 });
    expect(selectShard([...cells].reverse(), { index: 2, total: 3 })).toEqual([...a].reverse());
    expect(a).toEqual(cells.filter((c) => a.includes(c)));
  });

  test("balances: shards differ by at most the largest pair", () => {
    const sizes = [1, 2, 3].map((i) => selectShard(cells, { index: i, total: 3 }).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(12);
    expect(sizes.reduce((a, b) => a + b)).toBe(cells.length);
  });
});

describe("a sharded run merged equals a single run", () => {
  const dir = mkdtempSync(join(tmpdir(), "interop-shards-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const interop = (reports: string, ...args: string[]) =>
    execa(join(ROOT, "node_modules/.bin/tsx"), ["interop/cli.ts", "--category", "core", "--runtime", "process", "--client", "go", "--client", "python", ...args], {
      cwd: ROOT, reject: false, timeout: 240_000, env: { INTEROP_REPORTS_DIR: reports, GITHUB_STEP_SUMMARY: "" },
    });
  const cellsOf = (folder: string) =>
    (JSON.parse(readFileSync(join(folder, "interop.json"), "utf8")).cells as { client: string; server: string; case: string; status: string }[]).map(
      (c) => `${c.client} -> ${c.server} | ${c.case}: ${c.status}`,
    );
  /** The reports without what differs between two honest runs: timings. */
  const stable = (text: string) => text.replace(/time="[\d.]+"/g, 'time=""').replace(/"durationMs": \d+/g, '"durationMs": 0');

  test("3 shards of the core cells for two clients, merged, hold the same cells, totals and reports", async () => {
    const shards = [1, 2, 3].map((i) => join(dir, `shard-${i}`));
    const runs = await Promise.all([interop(join(dir, "single")), ...shards.map((s, i) => interop(s, "--shard", `${i + 1}/3`))]);
    for (const r of runs) expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    const single = cellsOf(join(dir, "single"));
    expect(single.length).toBe(2 * 4 * 4); // 2 clients x 4 servers x 4 core cases
    const perShard = shards.map(cellsOf);
    for (const s of perShard) expect(s.length).toBeGreaterThan(0);
    expect(perShard.flat().sort()).toEqual([...single].sort());

    const merged = join(dir, "merged");
    const merge = await execa(join(ROOT, "node_modules/.bin/tsx"), ["scripts/reports.ts", "merge", ...shards, "--out", merged], { cwd: ROOT, reject: false, env: { GITHUB_STEP_SUMMARY: "" } });
    expect(merge.exitCode, `${merge.stdout}\n${merge.stderr}`).toBe(0);
    expect(merge.stdout).toMatch(/^32 passed, 0 failed$/m);
    expect(cellsOf(merged)).toEqual(single); // same cells, same order
    for (const file of ["interop.md", "junit.xml", "index.html"]) {
      expect(stable(readFileSync(join(merged, file), "utf8")), file).toBe(stable(readFileSync(join(dir, "single", file), "utf8")));
    }
    const json = (f: string) => JSON.parse(readFileSync(join(f, "interop.json"), "utf8"));
    expect(json(merged).totals).toEqual(json(join(dir, "single")).totals);
  }, 300_000);

  test("merge refuses a missing shard, a shard given twice and a folder with no report, in one line each", async () => {
    const merge = (...dirs: string[]) => execa(join(ROOT, "node_modules/.bin/tsx"), ["scripts/reports.ts", "merge", ...dirs], { cwd: ROOT, reject: false });
    const [missing, twice, none] = await Promise.all([
      merge(join(dir, "shard-1"), join(dir, "shard-3")),
      merge(join(dir, "shard-1"), join(dir, "shard-1"), join(dir, "shard-2"), join(dir, "shard-3")),
      merge(join(dir, "nowhere")),
    ]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr.trim()).toMatch(/^error: reports merge: shard 2 of 3 is missing: pass all 3 shard folders$/);
    expect(twice.exitCode).toBe(2);
    expect(twice.stderr.trim()).toMatch(/^error: reports merge: (shard 1 of 3 is given twice|cell ".*" is in both .*)$/);
    expect(none.exitCode).toBe(2);
    expect(none.stderr.trim()).toMatch(/^error: .*nowhere: no interop\.json/);
  }, 60_000);
});
