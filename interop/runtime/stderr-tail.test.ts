// A peer that crashes shows the end of its stderr (the exception or the panic), not only its
// last line: for servers that exit, and for client drivers that die during a case.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { runBatch, type BatchResult } from "../batch.js";
import type { Command } from "../peers.js";
import { ProcessRuntime } from "./process.js";
import { stderrTail } from "./types.js";

const node = (code: string): Command => ({ file: process.execPath, args: ["-e", code, "--"] });
// A Python-like traceback of 25 lines: the exception is the last one.
const TRACEBACK = `console.error(['Traceback (most recent call last):', ...Array.from({ length: 23 }, (_, i) => '  File "x.py", line ' + i), 'ValueError: size must be >= 0'].join('\\n'))`;
const dir = mkdtempSync(join(tmpdir(), "stderr-tail-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("stderrTail", () => {
  test("one line stays one line", () => {
    expect(stderrTail("boom\n")).toBe("boom");
    expect(stderrTail("")).toBe("(no output on stderr)");
  });
  test("many lines: the last 20, each on its own line", () => {
    const text = Array.from({ length: 30 }, (_, i) => `line ${i}`).join("\n");
    const shown = stderrTail(text).split("\n");
    expect(shown[0]).toBe("the last 20 line(s) of its stderr:");
    expect(shown.slice(1)).toEqual(Array.from({ length: 20 }, (_, i) => `  | line ${i + 10}`));
  });
  test("a Go panic line above the tail is kept, so the panic is named", () => {
    const text = ["panic: runtime error: makeslice: len out of range", "", ...Array.from({ length: 40 }, (_, i) => `\tframe ${i}`)].join("\n");
    const shown = stderrTail(text).split("\n");
    expect(shown.slice(1, 3)).toEqual(["  | panic: runtime error: makeslice: len out of range", "  | ..."]);
    expect(shown).toHaveLength(23);
    expect(shown.at(-1)).toBe("  | \tframe 39");
  });
});

describe("a crashed peer's cell shows its stderr tail", () => {
  const runtime = new ProcessRuntime({
    server: { traceback: node(`${TRACEBACK}; process.exit(1)`) },
    client: { traceback: node(`${TRACEBACK}; process.exit(1)`) },
  });
  afterAll(() => runtime.close());

  test("a server that exits: the reason holds the exception and the lines above it", async () => {
    const err = await runtime.startServer("traceback", { tickMs: 50, startTimeoutMs: 5000 }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^traceback server exited \(code 1\): the last 20 line\(s\) of its stderr:\n/);
    expect((err as Error).message).toContain("  | ValueError: size must be >= 0");
    expect((err as Error).message).toContain('  |   File "x.py", line 5');
  });

  test("a client driver that dies during a case: the cell's error holds the exception", async () => {
    const results: Record<string, BatchResult> = {};
    await runBatch(
      { runtime, client: "traceback", address: "127.0.0.1:1", workDir: dir, serverGone: () => undefined },
      [{ id: "c1", spec: { name: "unary", method: "greeter.Greeter/SayHello", requests: [{}] }, limitMs: 5000 }],
      (id, r) => (results[id] = r),
    );
    const error = (results.c1 as { error: string }).error;
    expect(error).toMatch(/^traceback client driver failed \(exit 1\) during case unary: the last 20 line\(s\) of its stderr:\n/);
    expect(error.split("\n").at(-1)).toBe("  | ValueError: size must be >= 0");
  });
});
