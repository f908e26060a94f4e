// One interface for peer lifecycle, whatever runs the peers: local processes (process.ts) or
// containers (container.ts). The matrix only ever talks to a PeerRuntime.
import type { CaseSpec } from "../contract.js";

export interface ServerOptions {
  tickMs: number;
  /** How long the server may take to print its LISTENING line. */
  startTimeoutMs: number;
  /** A fixed port (npm run serve -- --port); by default 0, a free one. */
  port?: number;
  /** Receives the server's own log (stderr) as it comes, e.g. for `npm run serve`. */
  onLog?: (text: string) => void;
}

export interface ServerHandle {
  readonly name: string;
  /** host:port the server listens on (always on loopback). */
  readonly address: string;
  /** The OS process id, where the runtime has one (for diagnostics and lifecycle tests). */
  readonly pid?: number;
  /** Why the server can no longer serve (it exited or crashed); undefined while it runs. */
  exitReason(): string | undefined;
  stop(): Promise<void>;
}

export interface DriverRun {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface PeerRuntime {
  readonly kind: "process" | "container";
  startServer(name: string, options: ServerOptions): Promise<ServerHandle>;
  /** Runs one client driver for one case; never longer than timeoutMs. */
  runClient(name: string, address: string, spec: CaseSpec, timeoutMs: number): Promise<DriverRun>;
  /** Stops every server and driver this runtime started. Safe to call twice. */
  close(): Promise<void>;
}

/** The last non-empty line of a peer's stderr: usually the reason it failed. */
export function lastLine(text: string): string {
  const lines = text.trim().split("\n").filter(Boolean);
  return lines.length ? lines[lines.length - 1].trim() : "(no output on stderr)";
}
