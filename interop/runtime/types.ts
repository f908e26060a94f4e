// One interface for peer lifecycle, whatever runs the peers: local processes (process.ts) or
// containers (container.ts). The session only ever talks to a PeerRuntime.

export interface ServerTls {
  certFile: string;
  keyFile: string;
  /** CA of client certificates: the server also serves mTLS. */
  clientCaFile: string;
}

export interface ServerOptions {
  tickMs: number;
  /** How long the server may take to print its LISTENING line. */
  startTimeoutMs: number;
  /** Also serve TLS and mTLS, on ports of their own. */
  tls?: ServerTls;
  /** A fixed port (npm run serve -- --port); by default 0, a free one. */
  port?: number;
  /** Stub servers: the JSON file of stub blocks by case name (README: Any contract), passed as --stubs. */
  stubsFile?: string;
  /** Receives the server's own log (stderr) as it comes, e.g. for `npm run serve`. */
  onLog?: (text: string) => void;
}

export interface ServerHandle {
  readonly name: string;
  /** host:port of the plaintext port (always on loopback). */
  readonly address: string;
  /** host:port of the TLS and mTLS ports, when the server was given certificates. */
  readonly tlsAddress?: string;
  readonly mtlsAddress?: string;
  /** The OS process id, where the runtime has one (for diagnostics and lifecycle tests). */
  readonly pid?: number;
  /** Why the server can no longer serve (it exited or crashed); undefined while it runs. */
  exitReason(): string | undefined;
  /** Waits up to ms for the server to exit: its reason, or undefined if it still runs. */
  waitForExit?(ms: number): Promise<string | undefined>;
  stop(): Promise<void>;
}

export interface DriverRun {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface DriverHandle {
  /** Settles when the driver has exited (never rejects). */
  done: Promise<DriverRun>;
  /** Kills the driver now (a watchdog decided it hangs). */
  kill(): void;
}

export interface DriverOptions {
  /** Hard limit for the whole driver run. */
  timeoutMs: number;
  /** Called with every stdout line as soon as it is printed. */
  onLine?: (line: string) => void;
}

export interface PeerRuntime {
  readonly kind: "process" | "container";
  startServer(name: string, options: ServerOptions): Promise<ServerHandle>;
  /** Starts one client driver with these arguments (interop/contract.ts). */
  runClient(name: string, args: string[], options: DriverOptions): DriverHandle;
  /** Stops every server and driver this runtime started. Safe to call twice. */
  close(): Promise<void>;
}

/** The last non-empty line of a peer's stderr: usually the reason it failed. */
export function lastLine(text: string): string {
  const lines = text.trim().split("\n").filter(Boolean);
  return lines.length ? lines[lines.length - 1].trim() : "(no output on stderr)";
}

/** How many lines of a crashed peer's stderr a cell shows: enough for an exception or a panic. */
export const STDERR_TAIL_LINES = 20;

/**
 * What a peer that died said last: its last line alone when it said one thing, else the last
 * STDERR_TAIL_LINES lines (indented, on lines of their own), so the exception or panic shows.
 * A Go "panic:" (or "fatal error:") line above the tail is kept too: it names the panic.
 */
export function stderrTail(text: string, n = STDERR_TAIL_LINES): string {
  const lines = text.replace(/\s+$/, "").split("\n").filter((l) => l.trim() !== "");
  if (lines.length <= 1) return lastLine(text);
  const tail = lines.slice(-n);
  const head = lines.slice(0, -n).find((l) => /^(panic|fatal error): /.test(l));
  const shown = head ? [head, "...", ...tail] : tail;
  return `the last ${tail.length} line(s) of its stderr:\n${shown.map((l) => `  | ${l.trimEnd()}`).join("\n")}`;
}

/**
 * The flags every server takes (the same for every runtime and language). --watch-stdin only
 * where the runtime holds the server's stdin (processes; containers are removed by label).
 */
export function serverArgs({ tickMs, tls, port, stubsFile }: ServerOptions, { watchStdin = true } = {}): string[] {
  const args = ["--tick-ms", String(tickMs)];
  if (watchStdin) args.push("--watch-stdin");
  if (port !== undefined) args.push("--port", String(port));
  if (tls) args.push("--tls-cert", tls.certFile, "--tls-key", tls.keyFile, "--tls-client-ca", tls.clientCaFile);
  if (stubsFile) args.push("--stubs", stubsFile);
  return args;
}

/**
 * How a server says it is ready: a line (stdout or stderr) matching `line`; group 1, if any, is
 * its address, otherwise it listens on the {port} it was given. The reference servers' protocol
 * (LISTENING host:port, after LISTENING-TLS and LISTENING-MTLS) is one such rule.
 */
export interface ReadyRule {
  line: RegExp;
  tls?: RegExp;
  mtls?: RegExp;
  /** For messages: "LISTENING line", or "line matching /.../". */
  what: string;
}

export const HARNESS_READY: ReadyRule = { line: /^LISTENING (\S+)$/, tls: /^LISTENING-TLS (\S+)$/, mtls: /^LISTENING-MTLS (\S+)$/, what: "LISTENING line" };

/** A bare port, or a wildcard host (0.0.0.0, ::), is reached on loopback. */
export function dialAddress(found: string | undefined, port: number | undefined): string | undefined {
  const text = found?.replace(/^[a-z+]+:\/\//, "").replace(/\/$/, "");
  if (text === undefined || text === "") return port === undefined ? undefined : `127.0.0.1:${port}`;
  if (/^\d+$/.test(text)) return `127.0.0.1:${text}`;
  const m = /^(.*):(\d+)$/.exec(text);
  if (!m) return text;
  return ["0.0.0.0", "::", "[::]", "", "localhost"].includes(m[1]) ? `127.0.0.1:${m[2]}` : text;
}

/** Follows a server's output line by line until its ready rule matches. */
export class ReadyWatch {
  private tlsAddress?: string;
  private mtlsAddress?: string;
  private pending = { stdout: "", stderr: "" };
  constructor(private readonly rule: ReadyRule, private readonly port: number | undefined) {}

  /** Feeds output; returns the addresses once the ready line has come. */
  feed(stream: "stdout" | "stderr", text: string): { address: string; tlsAddress?: string; mtlsAddress?: string } | undefined {
    this.pending[stream] += text;
    const lines = this.pending[stream].split("\n");
    this.pending[stream] = lines.pop()!;
    for (const raw of lines) {
      const line = raw.replace(/\r$/, "");
      const tls = this.rule.tls?.exec(line);
      if (tls) this.tlsAddress = dialAddress(tls[1], undefined);
      const mtls = this.rule.mtls?.exec(line);
      if (mtls) this.mtlsAddress = dialAddress(mtls[1], undefined);
      const ready = this.rule.line.exec(line);
      if (ready) {
        const address = dialAddress(ready[1], this.port);
        if (address) return { address, tlsAddress: this.tlsAddress, mtlsAddress: this.mtlsAddress };
      }
    }
    return undefined;
  }
}

/** Reads the ready lines a server prints: LISTENING-TLS and LISTENING-MTLS come before LISTENING. */
export function parseReadyLines(stdout: string, rule: ReadyRule = HARNESS_READY, port?: number): { address: string; tlsAddress?: string; mtlsAddress?: string } | undefined {
  return new ReadyWatch(rule, port).feed("stdout", stdout.endsWith("\n") ? stdout : `${stdout}\n`);
}
