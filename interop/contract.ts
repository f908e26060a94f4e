// The JSON contract between the harness and every client driver (Go, Python, TypeScript).
// The harness passes one CaseSpec with --case-json; the driver prints one Observation.

export type Pattern = "unary" | "server-streaming" | "client-streaming" | "bidi";
export const PATTERNS: readonly Pattern[] = ["unary", "server-streaming", "client-streaming", "bidi"];

export function patternOf(requestStream: boolean, responseStream: boolean): Pattern {
  if (requestStream) return responseStream ? "bidi" : "client-streaming";
  return responseStream ? "server-streaming" : "unary";
}

/** What a driver acts on. `expect` is read by the comparator only. */
export interface CaseSpec {
  name: string;
  /** "package.Service/Method" */
  method: string;
  /** Request messages in proto3 JSON form: one for unary and server streaming. */
  requests: unknown[];
  /** Pause after each request, before the next one (and before the half-close). */
  sendIntervalMs?: number;
  /** The call's deadline. */
  timeoutMs?: number;
}

/** One message sent or received, stamped in ms since the call started. */
export interface Event {
  atMs: number;
  message?: unknown;
}

export interface Observation {
  client: string;
  case: string;
  method: string;
  status: { code: number; message: string };
  sent: Event[];
  halfCloseAtMs: number | null;
  responses: Event[];
  durationMs: number;
}
