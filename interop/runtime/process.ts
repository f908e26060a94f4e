// Peers as local processes: built binaries (Go), the project venv (Python), node + tsx (TS).
//
// Servers are started with --watch-stdin and a stdin pipe held by this process, so if the
// harness dies in any way the pipe closes and the servers exit; execa's cleanup also kills
// them on a normal exit or signal. Drivers run with a hard timeout and SIGKILL.
//
// A declared server that does not take --watch-stdin runs under stdin-guard.mjs, which gives it
// the same guarantee. {port} in its command is a free port picked here at each start.
import { createServer } from "node:net";
import { resolve } from "node:path";
import { execa, type ResultPromise } from "execa";
import { peerRegistry } from "../config/registry.js";
import { ROOT } from "../paths.js";
import type { Command, PeerCommands } from "../peers.js";
import { HARNESS_READY, lastLine, ReadyWatch, serverArgs, stderrTail, type DriverHandle, type DriverOptions, type PeerRuntime, type ServerHandle, type ServerOptions } from "./types.js";

const STDIN_GUARD = resolve(import.meta.dirname, "stdin-guard.mjs");

/** A port nobody listens on now (the server binds it a moment later). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer().once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}

/** The command with {port} filled, and the port, when it asks for one. */
export async function withPort<T extends Pick<Command, "args" | "env">>(cmd: T, port: number | undefined): Promise<{ cmd: T; port?: number }> {
  const uses = [...cmd.args, ...Object.values(cmd.env ?? {})].some((a) => a.includes("{port}"));
  if (!uses) return { cmd, port };
  const p = port || (await freePort());
  const fill = (a: string) => a.replaceAll("{port}", String(p));
  return { cmd: { ...cmd, args: cmd.args.map(fill), env: cmd.env && Object.fromEntries(Object.entries(cmd.env).map(([k, v]) => [k, fill(v)])) }, port: p };
}

/** Unbuffered Python output: the harness reads peers' lines as they are printed. */
export const PEER_ENV = { PYTHONUNBUFFERED: "1", PYTHONDONTWRITEBYTECODE: "1" };

export class ProcessRuntime implements PeerRuntime {
  readonly kind = "process" as const;
  private readonly children = new Set<ResultPromise>();
  /** Servers under stdin-guard.mjs: SIGTERM, which the guard passes on to the server's group (a SIGKILL would orphan it). */
  private readonly guarded = new WeakSet<ResultPromise>();

  private killNow(child: ResultPromise): void {
    child.kill(this.guarded.has(child) ? "SIGTERM" : "SIGKILL");
  }

  /** commands defaults to the run's peer registry; tests pass stand-ins (a crashing or silent server). */
  constructor(private readonly commands: PeerCommands = peerRegistry().processCommands()) {}

  async startServer(name: string, options: ServerOptions): Promise<ServerHandle> {
    const declared = this.commands.server[name];
    if (!declared) throw new Error(`${name} server has no command to run as a process`);
    const harnessFlags = declared.harnessFlags ?? true;
    const rule = declared.ready ?? HARNESS_READY;
    const startTimeoutMs = declared.startTimeoutMs ?? options.startTimeoutMs;
    // {port}: a declared server's own; a harness-flag server gets --port (or picks its own).
    const { cmd, port } = harnessFlags ? { cmd: declared, port: options.port } : await withPort(declared, options.port);
    const [file, args] = harnessFlags ? [cmd.file, [...cmd.args, ...serverArgs(options)]] : [process.execPath, [STDIN_GUARD, cmd.file, ...cmd.args]];
    const child = execa(file, args, {
      cwd: cmd.cwd ?? ROOT, env: { ...PEER_ENV, ...cmd.env }, stdin: "pipe", buffer: false, reject: false, cleanup: true, forceKillAfterDelay: 2000,
    });
    this.children.add(child);
    if (!harnessFlags) this.guarded.add(child);
    const watch = new ReadyWatch(rule, port);
    let stderr = "";
    let exitReason: string | undefined;
    let stopped = false;
    let onOutput: (stream: "stdout" | "stderr", text: string) => void = () => {};
    child.stderr?.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-32768); // enough for a panic's last lines
      options.onLog?.(d.toString());
      onOutput("stderr", d.toString());
    });
    child.stdout?.on("data", (d: Buffer) => onOutput("stdout", d.toString()));
    const exited = child.then((r) => {
      this.children.delete(child);
      // No exit code and no signal: it never ran (e.g. ENOENT, a peer that is not built).
      const how = r.signal ?? (r.exitCode === undefined ? (r.shortMessage?.split("\n")[0] ?? "could not be run") : `code ${r.exitCode}`);
      // Stopped on purpose (stop()): no reason to report, as for a container that was removed.
      if (!stopped) exitReason = `${name} server exited (${how}): ${stderrTail(stderr)}`;
      return exitReason;
    });

    const ready = await new Promise<NonNullable<ReturnType<ReadyWatch["feed"]>>>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name} server printed no ${rule.what} within ${startTimeoutMs} ms: ${lastLine(stderr)}`)),
        startTimeoutMs,
      );
      onOutput = (stream, text) => {
        const found = watch.feed(stream, text);
        if (found) {
          clearTimeout(timer);
          onOutput = () => {};
          resolve(found);
        }
      };
      void exited.then((reason) => {
        clearTimeout(timer);
        reject(new Error(`${reason} (before it was ready)`));
      });
    }).catch(async (err) => {
      this.killNow(child);
      await exited;
      throw err;
    });

    return {
      name,
      ...ready,
      pid: child.pid,
      exitReason: () => exitReason,
      waitForExit: (ms) => Promise.race([exited, new Promise<undefined>((r) => setTimeout(r, ms))]),
      stop: async () => {
        if (exitReason || stopped) return;
        stopped = true;
        child.stdin?.end();
        child.kill("SIGTERM");
        await exited;
      },
    };
  }

  runClient(name: string, args: string[], { timeoutMs, onLine }: DriverOptions): DriverHandle {
    const cmd = this.commands.client[name];
    if (!cmd) return { done: Promise.resolve({ exitCode: undefined, stdout: "", stderr: `${name} client has no command to run as a process`, timedOut: false }), kill: () => {} };
    const child = execa(cmd.file, [...cmd.args, ...args], {
      cwd: cmd.cwd ?? ROOT, env: { ...PEER_ENV, ...cmd.env }, stdin: "ignore", reject: false, cleanup: true, timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 512 * 1024 * 1024,
    });
    this.children.add(child);
    if (onLine) {
      let pending = "";
      child.stdout?.on("data", (d: Buffer) => {
        pending += d.toString();
        const lines = pending.split("\n");
        pending = lines.pop()!;
        lines.filter(Boolean).forEach(onLine);
      });
    }
    const done = child.then((r) => {
      this.children.delete(child);
      return { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr), timedOut: Boolean(r.timedOut) };
    });
    return { done, kill: () => void child.kill("SIGKILL") };
  }

  async close(): Promise<void> {
    const running = [...this.children];
    for (const child of running) this.killNow(child);
    await Promise.allSettled(running);
    this.children.clear();
  }
}
