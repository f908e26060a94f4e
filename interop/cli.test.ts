// The CLI as a user meets it: bad input is one line and a non-zero exit; Ctrl-C or SIGTERM in
// the middle of a run leaves no peer process behind.
import { readdirSync, readFileSync } from "node:fs";
import { execa } from "execa";
import { describe, expect, test } from "vitest";
import { ROOT } from "./paths.js";

const cli = (args: string[], opts = {}) =>
  execa(process.execPath, ["--import", "tsx", "interop/cli.ts", ...args], { cwd: ROOT, reject: false, timeout: 60_000, ...opts });

/** Processes whose process group is pgid (the CLI and everything it started). */
function processGroup(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid && fields[0] !== "Z") pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

const commandLine = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
};

describe("bad input", () => {
  test.each([
    [["--client", "rust"], 'error: unknown --client "rust": choose from ts, go, python'],
    [["--server", "java"], 'error: unknown --server "java": choose from ts, go, python, python-aio'],
    [["--pattern", "streaming"], 'error: unknown --pattern "streaming": choose from unary, server-streaming, client-streaming, bidi'],
    [["--case", "no-such-case"], /^error: unknown --case "no-such-case": cases are .*\bunary, server-streaming, client-streaming, bidi\b/],
    [["--runtime", "vm"], 'error: unknown --runtime "vm": choose from process, container, auto'],
    [["--frobnicate"], /^error: Unknown option '--frobnicate'/],
  ])("%j", async (args, message) => {
    const r = await cli(args);
    expect(r.exitCode).toBe(2);
    const lines = String(r.stderr).trim().split("\n").filter((l) => !l.startsWith("setup:"));
    expect(lines).toHaveLength(1);
    if (typeof message === "string") expect(lines[0]).toBe(message);
    else expect(lines[0]).toMatch(message);
  }, 30_000); // each run checks set-up first (tsx, go, python start-up): seconds on a busy machine
});

describe("--server-addr", () => {
  test.each([
    [["--server-addr", "127.0.0.1"], 'error: invalid --server-addr "127.0.0.1": expected host:port, e.g. 127.0.0.1:50051'],
    [["--server-addr", "127.0.0.1:99999"], 'error: invalid --server-addr "127.0.0.1:99999": expected host:port, e.g. 127.0.0.1:50051'],
    [["--server-addr", "127.0.0.1:50051", "--server", "go"], "error: --server-addr replaces the reference servers: drop --server"],
  ])("%j is one line and exit 2", async (args, message) => {
    const r = await cli(args);
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr).trim().split("\n").filter((l) => !l.startsWith("setup:"))).toEqual([message]);
  }, 30_000);
});

describe("interrupting a run", () => {
  // Ctrl-C in a terminal signals the whole foreground process group; `kill` signals one pid.
  test.each([
    ["SIGINT to the process group (Ctrl-C)", "SIGINT", true],
    ["SIGTERM to the CLI alone", "SIGTERM", false],
  ] as const)("%s leaves no peer running", async (_name, signal, wholeGroup) => {
    const child = cli([], { detached: true, timeout: 60_000 });
    const pgid = child.pid!;
    // Wait until the reference servers are up: the matrix has begun.
    const deadline0 = Date.now() + 30_000;
    while (!processGroup(pgid).some((pid) => commandLine(pid).includes("go-server")) && Date.now() < deadline0) {
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(processGroup(pgid).map(commandLine).join("\n")).toContain("go-server");
    process.kill(wholeGroup ? -pgid : pgid, signal);
    const r = await child;
    expect(r.exitCode ?? r.signal).not.toBe(0);
    // Give the peers' own shutdown a moment, then nothing of the run may remain.
    const deadline = Date.now() + 5000;
    while (processGroup(pgid).length > 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
    expect(processGroup(pgid)).toEqual([]);
  }, 60_000);
});
