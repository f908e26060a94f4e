// Peers as local processes: built binaries (Go), the project venv (Python), node + tsx (TS).
//
// Servers are started with --watch-stdin and a stdin pipe held by this process, so if the
// harness dies in any way the pipe closes and the servers exit; execa's cleanup also kills
// them on a normal exit or signal. Drivers run with a hard timeout and SIGKILL.
import { execa, type ResultPromise } from "execa";
import type { CaseSpec } from "../contract.js";
import { ROOT } from "../paths.js";
import { PROCESS_COMMANDS, type Command } from "../peers.js";
import { lastLine, type DriverRun, type PeerRuntime, type ServerHandle, type ServerOptions } from "./types.js";

const READY = /^LISTENING (\S+)$/m;
/** Unbuffered Python output: the harness reads peers' lines as they are printed. */
export const PEER_ENV = { PYTHONUNBUFFERED: "1", PYTHONDONTWRITEBYTECODE: "1" };

export class ProcessRuntime implements PeerRuntime {
  readonly kind = "process" as const;
  private readonly children = new Set<ResultPromise>();

  /** commands defaults to the real peers; tests pass stand-ins (a crashing or silent server). */
  constructor(private readonly commands: Record<"server" | "client", Record<string, Command>> = PROCESS_COMMANDS) {}

  async startServer(name: string, { tickMs, startTimeoutMs, port, onLog }: ServerOptions): Promise<ServerHandle> {
    const cmd = this.commands.server[name];
    const portArgs = port === undefined ? [] : ["--port", String(port)];
    const child = execa(cmd.file, [...cmd.args, ...portArgs, "--tick-ms", String(tickMs), "--watch-stdin"], {
      cwd: ROOT, env: PEER_ENV, stdin: "pipe", buffer: false, reject: false, cleanup: true, forceKillAfterDelay: 2000,
    });
    this.children.add(child);
    let stdout = "";
    let stderr = "";
    let exitReason: string | undefined;
    child.stderr?.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-8192);
      onLog?.(d.toString());
    });
    const exited = child.then((r) => {
      this.children.delete(child);
      exitReason = `${name} server exited (${r.signal ?? `code ${r.exitCode}`}): ${lastLine(stderr)}`;
      return exitReason;
    });

    const address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} server printed no LISTENING line within ${startTimeoutMs} ms: ${lastLine(stderr)}`)), startTimeoutMs);
      child.stdout?.on("data", (d: Buffer) => {
        stdout += d.toString();
        const m = READY.exec(stdout);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      void exited.then((reason) => {
        clearTimeout(timer);
        reject(new Error(`${reason} (before it was ready)`));
      });
    }).catch(async (err) => {
      child.kill("SIGKILL");
      await exited;
      throw err;
    });

    return {
      name,
      address,
      pid: child.pid,
      exitReason: () => exitReason,
      stop: async () => {
        if (exitReason) return;
        child.stdin?.end();
        child.kill("SIGTERM");
        await exited;
      },
    };
  }

  async runClient(name: string, address: string, spec: CaseSpec, timeoutMs: number): Promise<DriverRun> {
    const cmd = this.commands.client[name];
    const child = execa(cmd.file, [...cmd.args, "--addr", address, "--case-json", JSON.stringify(spec)], {
      cwd: ROOT, env: PEER_ENV, stdin: "ignore", reject: false, cleanup: true, timeout: timeoutMs, killSignal: "SIGKILL",
    });
    this.children.add(child);
    const r = await child;
    this.children.delete(child);
    return { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr), timedOut: Boolean(r.timedOut) };
  }

  async close(): Promise<void> {
    const running = [...this.children];
    for (const child of running) child.kill("SIGKILL");
    await Promise.allSettled(running);
    this.children.clear();
  }
}
