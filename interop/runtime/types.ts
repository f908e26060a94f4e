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

/** Reads the ready lines a server prints: LISTENING-TLS and LISTENING-MTLS come before LISTENING. */
export function parseReadyLines(stdout: string): { address: string; tlsAddress?: string; mtlsAddress?: string } | undefined {
  const find = (label: string) => new RegExp(`^${label} (\\S+)$`, "m").exec(stdout)?.[1];
  const address = find("LISTENING");
  return address ? { address, tlsAddress: find("LISTENING-TLS"), mtlsAddress: find("LISTENING-MTLS") } : undefined;
}
