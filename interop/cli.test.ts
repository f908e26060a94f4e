// The CLI as a user meets it: bad input is one line and a non-zero exit; Ctrl-C or SIGTERM in
// the middle of a run leaves no peer process behind.
import { execa } from "execa";
import { describe, expect, test } from "vitest";
import { ROOT } from "./paths.js";
import { commandLine, processGroup } from "./proc.js";

const cli = (args: string[], opts = {}) =>
  execa(process.execPath, ["--import", "tsx", "interop/cli.ts", ...args], { cwd: ROOT, reject: false, timeout: 60_000, ...opts });

describe("bad input", () => {
  test.each([
    [["--client", "rust"], 'error: unknown --client "rust": choose from ts, go, python, go-official'],
    [["--server", "java"], 'error: unknown --server "java": choose from ts, go, python, python-aio, go-stub, python-stub, python-aio-stub, go-official'],
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
    // The process runtime: what this test watches is peer processes (container.test.ts does containers).
    const child = cli(["--runtime", "process"], { detached: true, timeout: 60_000 });
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

describe("runtime choice without a Docker engine", () => {
  const noEngine = { env: { DOCKER_HOST: "unix:///nonexistent/docker.sock", INTEROP_RUNTIME: "" } };

  test("--runtime container is one line naming what is missing and how to start it, exit 2", async () => {
    const r = await cli(["--runtime", "container"], noEngine);
    expect(r.exitCode).toBe(2);
    const lines = String(r.stderr).trim().split("\n").filter((l) => !l.startsWith("setup:"));
    expect(lines).toEqual([
      "error: --runtime container: no Docker engine answered at unix:///nonexistent/docker.sock (ENOENT): start one with `bash scripts/start-docker.sh` (installs docker.io if missing)",
    ]);
  }, 30_000);

  test("auto falls back to processes and says why on the run's first line", async () => {
    const r = await cli(["--client", "ts", "--server", "ts", "--case", "unary"], noEngine);
    expect(r.exitCode).toBe(0);
    expect(String(r.stdout).split("\n")[0]).toBe("runtime: process (auto: no Docker engine answered at unix:///nonexistent/docker.sock (ENOENT))");
    expect(String(r.stdout)).toContain("Interop matrix (process runtime)");
  }, 60_000); // a whole CLI run (set-up check, a server, a driver): seconds on a busy machine
});
