// A declared server starts as a built-in one does: its ready line (a regex, group 1 the address,
// or the {port} it was given), a bounded start, a health check where it serves health, and
// nothing left running after stop, a crash or a timeout.
import { readFileSync } from "node:fs";
import { execa } from "execa";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { Command } from "../peers.js";
import { ProcessRuntime } from "../runtime/process.js";
import { startServer } from "./start-server.js";
import type { ServerDecl } from "./types.js";

const SCRIPT = join(import.meta.dirname, "testdata", "declared-server.mjs");
const ready = (re: string) => ({ line: new RegExp(re), what: `line matching /${re}/` });
const decl = (name: string, args: string[], readyRe: string, services = ["shop.Orders", "grpc.health.v1.Health"]): ServerDecl => ({
  name,
  origin: "test",
  process: { file: process.execPath, args: [SCRIPT, ...args], harnessFlags: false, ready: ready(readyRe) },
  containerOnly: false,
  fresh: "run",
  services,
});
const pidFile = (name: string) => join(tmpdir(), `declared-${process.pid}-${name}.pid`);
const peers = [
  decl("grouped", ["--pidfile", pidFile("grouped")], "listening on (\\S+)"),
  decl("ported", ["--port", "{port}", "--say", "ready"], "^ready$"),
  decl("sick", ["--health", "NOT_SERVING"], "listening on (\\S+)"),
  decl("healthless", ["--health", "none"], "listening on (\\S+)"),
  decl("healthless-undeclared", ["--health", "none"], "listening on (\\S+)", ["shop.Orders"]),
  decl("crashes", ["--crash"], "listening on (\\S+)"),
  { ...decl("silent", ["--say", "something else"], "listening on (\\S+)"), process: { ...decl("", [], "x").process!, args: [SCRIPT, "--say", "something else"], ready: ready("listening on (\\S+)"), startTimeoutMs: 1500 } },
];
const runtime = new ProcessRuntime({ server: Object.fromEntries(peers.map((p) => [p.name, p.process as Command])), client: {} });
const peer = (name: string) => peers.find((p) => p.name === name)!;
const options = { tickMs: 50, startTimeoutMs: 10_000 };
afterAll(() => runtime.close(), 20_000);

const refused = (address: string) =>
  new Promise<boolean>((resolve) => {
    const i = address.lastIndexOf(":");
    const socket = connect(Number(address.slice(i + 1)), address.slice(0, i));
    socket.once("connect", () => (socket.destroy(), resolve(false)));
    socket.once("error", () => resolve(true));
  });
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("declared servers", () => {
  test("a harness killed with SIGKILL leaves no declared server behind (the stdin guard stops it)", async () => {
    const file = pidFile("held");
    const holder = execa(process.execPath, ["--import", "tsx", join(import.meta.dirname, "testdata", "hold-server.ts"), file], { reject: false });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("holder did not start its server")), 30_000);
      holder.stdout!.on("data", (d: Buffer) => d.toString().includes("started") && (clearTimeout(timer), resolve()));
    });
    const pid = Number(readFileSync(file, "utf8"));
    expect(alive(pid)).toBe(true);
    holder.kill("SIGKILL");
    await holder;
    const deadline = Date.now() + 5000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alive(pid)).toBe(false);
  }, 60_000);

  test("group 1 of the ready line is the address (a wildcard host is dialled on loopback); stop leaves nothing running", async () => {
    const handle = await startServer(runtime, peer("grouped"), options);
    expect(handle.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(await refused(handle.address)).toBe(false);
    const pid = Number(readFileSync(pidFile("grouped"), "utf8"));
    expect(alive(pid)).toBe(true);
    await handle.stop();
    expect(await refused(handle.address)).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(pid)).toBe(false);
  }, 30_000);

  test("without a group, the server listens on the {port} the harness picked", async () => {
    const handle = await startServer(runtime, peer("ported"), options);
    expect(await refused(handle.address)).toBe(false);
    await handle.stop();
  }, 30_000);

  test("a server that answers NOT_SERVING failed to start, and is stopped", async () => {
    await expect(startServer(runtime, peer("sick"), options)).rejects.toThrow(/^sick server answers NOT_SERVING to grpc.health.v1.Health\/Check at 127\.0\.0\.1:\d+$/);
  }, 30_000);

  test("a server that declares health but does not serve it failed to start; one that does not declare it is not asked", async () => {
    await expect(startServer(runtime, peer("healthless"), options)).rejects.toThrow(/^healthless server did not answer grpc.health.v1.Health\/Check at 127\.0\.0\.1:\d+ within 5000 ms: 12 /);
    const handle = await startServer(runtime, peer("healthless-undeclared"), options);
    await handle.stop();
  }, 30_000);

  test("a crash before the ready line and a missing ready line are start failures that say why, within the bound", async () => {
    await expect(startServer(runtime, peer("crashes"), options)).rejects.toThrow("crashes server exited (code 3): boom: config missing (before it was ready)");
    const t0 = Date.now();
    await expect(startServer(runtime, peer("silent"), options)).rejects.toThrow("silent server printed no line matching /listening on (\\S+)/ within 1500 ms: something else");
    expect(Date.now() - t0).toBeLessThan(5000);
  }, 30_000);
});
