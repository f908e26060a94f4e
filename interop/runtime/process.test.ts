// Peer lifecycle as local processes: every way a peer can misbehave ends in a clear message,
// within its timeout, and with no process left behind.
import { createServer } from "node:net";
import { Server, ServerCredentials } from "@grpc/grpc-js";
import { execa } from "execa";
import { afterAll, describe, expect, test } from "vitest";
import { GreeterService } from "../../gen/ts/greeter.js";
import { greeterService } from "../../ts-server/greeter-service.js";
import { peerRegistry } from "../config/registry.js";
import { SERVERS, type Command } from "../peers.js";
import { emptyFilters } from "../plan.js";
import { MatrixSession } from "../session.js";
import { checkGoServerCrashMidRun, CRASH_CHECK_CASES } from "./lifecycle-checks.js";
import { ProcessRuntime } from "./process.js";

const node = (code: string): Command => ({ file: process.execPath, args: ["-e", code, "--"] });
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const options = { tickMs: 50, startTimeoutMs: 1500 };

describe("server start", () => {
  const runtime = new ProcessRuntime({
    server: {
      crashes: node("console.error('boom: config missing'); process.exit(3)"),
      silent: node("setInterval(() => {}, 1000)"),
    },
    client: {},
  });
  afterAll(() => runtime.close());

  test("a server that exits before it is ready fails with its last stderr line", async () => {
    await expect(runtime.startServer("crashes", options)).rejects.toThrow("crashes server exited (code 3): boom: config missing (before it was ready)");
  });

  test("a server that never prints LISTENING is killed at the start timeout", async () => {
    const t0 = Date.now();
    await expect(runtime.startServer("silent", options)).rejects.toThrow("silent server printed no LISTENING line within 1500 ms");
    expect(Date.now() - t0).toBeLessThan(4000);
  });

  test.each(SERVERS)("the %s server refuses a port in use with one line and exit 2", async (name) => {
    const blocker = createServer().listen(0, "127.0.0.1");
    await new Promise((r) => blocker.once("listening", r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const cmd = peerRegistry().processCommands().server[name];
      const r = await execa(cmd.file, [...cmd.args, "--port", String(port)], { reject: false, timeout: 15_000 });
      expect(r.exitCode).toBe(2);
      expect(String(r.stderr).trim().split("\n").pop()).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use: .*--port`));
    } finally {
      blocker.close();
    }
  });
});

describe("during a run", () => {
  test("a server that dies mid-run fails the cells it had not answered, with the reason; close() leaves no process", async () => {
    const session = await MatrixSession.create({ ...emptyFilters(), client: ["go"], case: CRASH_CHECK_CASES }, "process");
    await session.startServers();
    const servers = (session as unknown as { servers: Map<string, { pid: number }> }).servers;
    const pids = [...servers.values()].map((s) => s.pid);
    await checkGoServerCrashMidRun(session, async () => void process.kill(servers.get("go")!.pid, "SIGKILL"));
    await session.close();
    expect(pids.filter(alive)).toEqual([]);
  }, 30_000);

  test("a server that never answers gives DEADLINE_EXCEEDED within the case's deadline", async () => {
    const server = new Server();
    server.addService(GreeterService, { ...greeterService({ tickMs: 50 }), sayHello: () => {} });
    const port = await new Promise<number>((res, rej) => server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
    const session = await MatrixSession.create({ ...emptyFilters(), case: ["unary"] }, "process", { serverAddr: `127.0.0.1:${port}`, runtime: new ProcessRuntime() });
    for (const cell of session.cells) cell.case = { ...cell.case, timeoutMs: 300 };
    try {
      const t0 = Date.now();
      const outcomes = await Promise.all(session.cells.map((cell) => session.runCell(cell)));
      for (const outcome of outcomes) expect(outcome.error).toMatch(/^status: expected OK, got DEADLINE_EXCEEDED/);
      expect(Date.now() - t0).toBeLessThan(5000); // three drivers, each bounded by the 300 ms deadline
    } finally {
      await session.close();
      server.forceShutdown();
    }
  }, 30_000);

  test("a driver that hangs is killed at the cell timeout", async () => {
    const runtime = new ProcessRuntime({ server: {}, client: { hangs: node("setInterval(() => {}, 1000)") } });
    const t0 = Date.now();
    const run = await runtime.runClient("hangs", ["--addr", "127.0.0.1:1"], { timeoutMs: 500 }).done;
    expect(run.timedOut).toBe(true);
    expect(Date.now() - t0).toBeLessThan(3000);
    await runtime.close();
  });
});
