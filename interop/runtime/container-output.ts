// Wait strategies for peer containers that keep what the peer printed, stdout and stderr apart,
// so container peers fail with the same messages as process peers ("go server exited (code 3):
// <last stderr line> (before it was ready)"). testcontainers removes a container whose wait
// strategy fails, so the output must be captured while waiting, not read afterwards.
import { constants } from "node:os";
import { PassThrough } from "node:stream";
import type { WaitStrategy } from "./testcontainers-offline.js";
import { lastLine, ReadyWatch, stderrTail, type ReadyRule } from "./types.js";

type DockerContainer = Parameters<WaitStrategy["waitUntilReady"]>[0];

/** A peer did not get ready (or finish) within its time. */
export class PeerTimeout extends Error {}

/** "code 3", or "SIGKILL" for 137, as process.ts words a process's exit. */
export function describeExit(code: number | undefined): string {
  if (code === undefined) return "container removed";
  const signal = code > 128 ? Object.entries(constants.signals).find(([, n]) => n === code - 128)?.[0] : undefined;
  return signal ?? `code ${code}`;
}

/** What one container printed, followed from its start until it exits. */
export class ContainerOutput {
  stdout = "";
  stderr = "";
  /** Resolves once the container has exited and all output is in: with its exit code, or
   *  undefined when the container was removed before its code could be read. */
  readonly exited: Promise<number | undefined>;
  private readonly listeners = new Set<() => void>();
  private readyWatch?: (stderrText: string) => void;

  constructor(container: DockerContainer, stream: NodeJS.ReadableStream, onLine?: (line: string) => void) {
    const out = new PassThrough();
    const err = new PassThrough();
    let pending = "";
    out.on("data", (d: Buffer) => {
      this.stdout += d.toString();
      this.listeners.forEach((l) => l());
      if (!onLine) return;
      pending += d.toString();
      const lines = pending.split("\n");
      pending = lines.pop()!;
      lines.filter(Boolean).forEach(onLine);
    });
    err.on("data", (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-8192);
      this.readyWatch?.(d.toString());
    });
    container.modem.demuxStream(stream, out, err);
    this.exited = new Promise<void>((resolve) => stream.on("end", resolve).on("error", resolve))
      .then(() => container.wait())
      .then((r: { StatusCode: number }) => r.StatusCode)
      .catch(() => undefined);
  }

  static async follow(container: DockerContainer, onLine?: (line: string) => void): Promise<ContainerOutput> {
    const stream = await container.logs({ follow: true, stdout: true, stderr: true });
    return new ContainerOutput(container, stream, onLine);
  }

  /** Resolves with the addresses once a line of stdout or stderr matches the server's ready rule. */
  onReady(rule: ReadyRule, port: number | undefined): Promise<NonNullable<ReturnType<ReadyWatch["feed"]>>> {
    const watch = new ReadyWatch(rule, port);
    return new Promise((resolve) => {
      let seen = 0;
      const settle = (found: ReturnType<ReadyWatch["feed"]>) => {
        if (!found) return;
        this.listeners.delete(check);
        this.readyWatch = undefined;
        resolve(found);
      };
      const check = () => {
        settle(watch.feed("stdout", this.stdout.slice(seen)));
        seen = this.stdout.length;
      };
      this.readyWatch = (text) => settle(watch.feed("stderr", text));
      this.listeners.add(check);
      check();
      settle(watch.feed("stderr", this.stderr));
    });
  }

  /** Resolves with the first match of pattern on stdout. */
  onStdout(pattern: RegExp): Promise<RegExpExecArray> {
    return new Promise((resolve) => {
      const check = () => {
        const m = pattern.exec(this.stdout);
        if (m) {
          this.listeners.delete(check);
          resolve(m);
        }
      };
      this.listeners.add(check);
      check();
    });
  }

  lastErrorLine(): string {
    return lastLine(this.stderr);
  }

  /** The peer's last stderr lines (an exception or a panic), for a crash's reason. */
  stderrTail(): string {
    return stderrTail(this.stderr);
  }
}

/** Shared plumbing of the two strategies below: the timeout testcontainers hands over. */
abstract class OutputStrategy implements WaitStrategy {
  output?: ContainerOutput;
  /** Called with each stdout line as it is printed (a driver's observations). */
  onLine?: (line: string) => void;
  protected timeoutMs = 60_000;
  private timeoutSet = false;

  abstract waitUntilReady(container: DockerContainer): Promise<void>;

  withStartupTimeout(ms: number): this {
    this.timeoutMs = ms;
    this.timeoutSet = true;
    return this;
  }
  isStartupTimeoutSet(): boolean {
    return this.timeoutSet;
  }
  getStartupTimeout(): number {
    return this.timeoutMs;
  }

  /** Follows the output, then races `until` against the timeout. */
  protected async watch<T>(container: DockerContainer, until: (o: ContainerOutput) => Promise<T>, timeoutMessage: (o: ContainerOutput) => string): Promise<T> {
    const output = (this.output = await ContainerOutput.follow(container, this.onLine));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PeerTimeout(timeoutMessage(output))), this.timeoutMs);
    });
    try {
      return await Promise.race([until(output), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Ready when a line matches the server's ready rule (e.g. its LISTENING line); exiting first is an error. */
export class UntilLine extends OutputStrategy {
  found?: NonNullable<ReturnType<ReadyWatch["feed"]>>;

  constructor(private readonly rule: ReadyRule, private readonly port: number | undefined, private readonly name: string) {
    super();
  }

  async waitUntilReady(container: DockerContainer): Promise<void> {
    this.found = await this.watch(
      container,
      (o) =>
        Promise.race([
          o.onReady(this.rule, this.port),
          o.exited.then((code) => Promise.reject(new Error(`${this.name} exited (${describeExit(code)}): ${o.lastErrorLine()} (before it was ready)`))),
        ]),
      (o) => `${this.name} printed no ${this.rule.what} within ${this.timeoutMs} ms: ${o.lastErrorLine()}`,
    );
  }
}

/** "Ready" when the container has exited, whatever its code: a one-shot client driver. */
export class UntilExit extends OutputStrategy {
  exitCode?: number;

  constructor(private readonly name: string) {
    super();
  }

  async waitUntilReady(container: DockerContainer): Promise<void> {
    this.exitCode = await this.watch(container, (o) => o.exited, () => `${this.name} did not finish within ${this.timeoutMs} ms`);
  }
}
