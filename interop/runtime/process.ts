// Peers as local processes: built binaries (Go), the project venv (Python), node + tsx (TS).
//
// Servers are started with --watch-stdin and a stdin pipe held by this process, so if the
// harness dies in any way the pipe closes and the servers exit; execa's cleanup also kills
// them on a normal exit or signal. Drivers run with a hard timeout and SIGKILL.
import { execa, type ResultPromise } from "execa";
import { ROOT } from "../paths.js";
import { PROCESS_COMMANDS, type PeerCommands } from "../peers.js";
import { lastLine, parseReadyLines, serverArgs, stderrTail, type DriverHandle, type DriverOptions, type PeerRuntime, type ServerHandle, type ServerOptions } from "./types.js";

/** Unbuffered Python output: the harness reads peers' lines as they are printed. */
export const PEER_ENV = { PYTHONUNBUFFERED: "1", PYTHONDONTWRITEBYTECODE: "1" };

export class ProcessRuntime implements PeerRuntime {
  readonly kind = "process" as const;
  private readonly children = new Set<ResultPromise>();

  /** commands defaults to the real peers; tests pass stand-ins (a crashing or silent server). */
  constructor(private readonly commands: PeerCommands = PROCESS_COMMANDS) {}

  async startServer(name: string, options: ServerOptions): Promise<ServerHandle> {
    const cmd = this.commands.server[name];
    const child = execa(cmd.file, [...cmd.args, ...serverArgs(options)], {
      cwd: ROOT, env: { ...PEER_ENV, ...cmd.env }, stdin: "pipe", buffer: false, reject: false, cleanup: true, forceKillAfterDelay: 2000,
    });
    this.children.add(child);
    let stdout = "";
    let stderr = "";
    let exitReason: string | undefined;
    child.stderr?.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-32768); // enough for a panic's last lines
      options.onLog?.(d.toString());
    });
    const exited = child.then((r) => {
      this.children.delete(child);
      // No exit code and no signal: it never ran (e.g. ENOENT, a peer that is not built).
      const how = r.signal ?? (r.exitCode === undefined ? (r.shortMessage?.split("\n")[0] ?? "could not be run") : `code ${r.exitCode}`);
      exitReason = `${name} server exited (${how}): ${stderrTail(stderr)}`;
      return exitReason;
    });

    const ready = await new Promise<NonNullable<ReturnType<typeof parseReadyLines>>>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name} server printed no LISTENING line within ${options.startTimeoutMs} ms: ${lastLine(stderr)}`)),
        options.startTimeoutMs,
      );
      child.stdout?.on("data", (d: Buffer) => {
        stdout += d.toString();
        const found = parseReadyLines(stdout);
        if (found) {
          clearTimeout(timer);
          resolve(found);
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
      ...ready,
      pid: child.pid,
      exitReason: () => exitReason,
      waitForExit: (ms) => Promise.race([exited, new Promise<undefined>((r) => setTimeout(r, ms))]),
      stop: async () => {
        if (exitReason) return;
        child.stdin?.end();
        child.kill("SIGTERM");
        await exited;
      },
    };
  }

  runClient(name: string, args: string[], { timeoutMs, onLine }: DriverOptions): DriverHandle {
    const cmd = this.commands.client[name];
    const child = execa(cmd.file, [...cmd.args, ...args], {
      cwd: ROOT, env: { ...PEER_ENV, ...cmd.env }, stdin: "ignore", reject: false, cleanup: true, timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 512 * 1024 * 1024,
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
    for (const child of running) child.kill("SIGKILL");
    await Promise.allSettled(running);
    this.children.clear();
  }
}
