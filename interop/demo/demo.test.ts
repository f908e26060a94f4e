// The article's demos, end to end: every client against every server, each transcript checked
// against fixtures/demo/<client>.json. To keep `npm test` quick, the full grid runs with a
// shorter stock tick (the stock lines must then come that tick apart); the pair the issue names,
// Python client -> Go server, runs through `npm run demo`'s CLI with the article's 500 ms.
import { execa } from "execa";
import { beforeAll, describe, expect, test } from "vitest";
import { ROOT } from "../paths.js";
import { CLIENTS, SERVERS } from "../peers.js";
import { ARTICLE_TICK_MS, runDemos, type DemoResult } from "./run.js";
import { checkTranscript, loadDemoFixture, type TranscriptLine } from "./transcript.js";

const FAST_TICK_MS = 250;

describe(`every pair, stock tick ${FAST_TICK_MS} ms`, () => {
  const pairs = SERVERS.flatMap((server) => CLIENTS.map((client) => ({ server, client })));
  let results: DemoResult[] = [];
  beforeAll(async () => {
    results = await runDemos(pairs, { tickMs: FAST_TICK_MS });
  }, 120_000);

  test.each(pairs)("$client client -> $server server", ({ server, client }) => {
    const result = results.find((r) => r.server === server && r.client === client)!;
    expect(result.error).toBeUndefined();
    const text = result.lines.map((l) => l.text).join("\n");
    expect(checkTranscript(loadDemoFixture(client), result.lines, FAST_TICK_MS), text).toEqual([]);
  });
});

test("npm run demo -- --server go --client python: the article's sections, in order, at the article's timing", async () => {
  const child = execa(process.execPath, ["--import", "tsx", "interop/demo/cli.ts", "--server", "go", "--client", "python"], {
    cwd: ROOT, reject: false, timeout: 60_000,
  });
  // Stamp the CLI's lines as they arrive, to check the 500 ms between stock lines.
  const lines: TranscriptLine[] = [];
  let pending = "";
  const t0 = performance.now();
  child.stdout!.on("data", (d: Buffer) => {
    const parts = (pending + d.toString()).split("\n");
    pending = parts.pop()!;
    for (const text of parts) lines.push({ atMs: performance.now() - t0, text });
  });
  const r = await child;
  expect(r.exitCode, String(r.stderr)).toBe(0);
  const header = lines.findIndex((l) => l.text.startsWith("=== demo: python client -> go server at 127.0.0.1:"));
  const footer = lines.findIndex((l) => l.text.startsWith("--- "));
  expect(header).toBeGreaterThanOrEqual(0);
  expect(lines[footer].text).toBe("--- ✓ transcript matches fixtures/demo/python.json");
  const transcript = lines.slice(header + 1, footer);
  expect(checkTranscript(loadDemoFixture("python"), transcript, ARTICLE_TICK_MS), transcript.map((l) => l.text).join("\n")).toEqual([]);
}, 90_000);

test.each([
  [["--server", "go"], "error: name a --server and a --client (or pass --all): see --help"],
  [["--server", "go", "--client", "rust"], 'error: unknown --client "rust": choose from ts, go, python'],
  [["--all", "--server", "go"], "error: --all runs every pair: drop --server and --client, or drop --all"],
])("npm run demo with bad input %j: one line and exit 2", async (args, message) => {
  const r = await execa(process.execPath, ["--import", "tsx", "interop/demo/cli.ts", ...args], { cwd: ROOT, reject: false, timeout: 30_000 });
  expect(r.exitCode).toBe(2);
  expect(String(r.stderr).trim()).toBe(message);
}, 30_000);
