// The JSON contract between the harness and every client driver (Go, Python, TypeScript).
//
// A driver is started as   driver --addr HOST:PORT (--case-json JSON | --cases-file FILE)
// and prints one Observation per case as one JSON line, in order, flushing after each, so the
// harness sees every case's result as soon as it exists. --cases-file holds a JSON array of
// CaseSpec. A driver judges nothing; exit code 2 means its input was bad.

export type Pattern = "unary" | "server-streaming" | "client-streaming" | "bidi";
export const PATTERNS: readonly Pattern[] = ["unary", "server-streaming", "client-streaming", "bidi"];

export function patternOf(requestStream: boolean, responseStream: boolean): Pattern {
  if (requestStream) return responseStream ? "bidi" : "client-streaming";
  return responseStream ? "server-streaming" : "unary";
}

export interface TlsSpec {
  /** PEM file of the CA the client trusts. */
  caFile: string;
  /** Client certificate and key (mTLS). */
  certFile?: string;
  keyFile?: string;
  /** The name the server certificate is checked against (also the :authority / SNI). */
  serverNameOverride: string;
}

/** What a driver acts on. The harness fills address, tls and callReport.tag per cell. */
export interface CaseSpec {
  name: string;
  /** "package.Service/Method": gives the request and response types and the pattern. */
  method: string;
  /** Wire path to call instead of "/" + method (to call a method the server does not have). */
  path?: string;
  /** Request messages in proto3 JSON: exactly one for unary and server streaming. */
  requests: unknown[];
  /** Set the "payload" field of every request to this many zero bytes (large messages). */
  requestPayloadBytes?: number;
  /** Request i's "payload" is this many zero bytes (after repeatRequests; beyond the list, unchanged). */
  requestPayloadSizes?: number[];
  /** Send requests[0] this many times instead, with its "index" field set to 0..n-1. */
  repeatRequests?: number;
  /** Pause after each request, before the next one (and before the half-close). */
  sendIntervalMs?: number;
  /**
   * Ping-pong pacing: the pause after request i ends as soon as reply i has arrived (i+1 replies in
   * all), so sendIntervalMs is only the longest wait. A passing bidi case then takes round trips,
   * not pauses; a server that holds a reply still makes the client wait the whole interval.
   */
  sendOnReply?: boolean;
  /** The call's deadline, in ms from its start. */
  timeoutMs?: number;
  /** Where to call (overrides --addr). */
  address?: string;
  /** Call over TLS (with a client certificate when certFile is set). */
  tls?: TlsSpec;
  /** Request metadata: every value of every key is sent. Values of "-bin" keys are base64. */
  metadata?: Record<string, string[]>;
  /** Compress the requests with this algorithm. */
  compression?: "gzip";
  /** Cancel the call this long after it started. */
  cancelAfterMs?: number;
  /** Cancel the call right after this many responses have arrived. */
  cancelAfterResponses?: number;
  /** With a cancel: half-close after the requests anyway (a cancel after the half-close). */
  halfCloseBeforeCancel?: boolean;
  /**
   * Make this (unary) call this many times at once, over one channel: call i sends request i of
   * the list (mod its length; with repeatRequests, index i). Responses are listed in CALL order
   * (responses[i] is call i's reply, stamped at its arrival), so each is judged against its own
   * request: a server that answers one call with another's reply (cross-talk) is seen.
   */
  concurrentCalls?: number;
  /** Record each response's serialized size instead of its JSON (large payloads). */
  recordSizesOnly?: boolean;
  /**
   * Send "x-interop-tag: <tag>" with the call, then ask interop.InteropTest/GetCallReport for it
   * (same address and credentials), waiting up to waitMs, and put the reply in callReport.
   */
  callReport?: { tag: string; waitMs: number };
  /**
   * Run grpc's named interop test case instead (grpc/grpc doc/interop-test-descriptions.md, e.g.
   * "large_unary"): the client performs and asserts the whole case itself; the observation's
   * status is OK when it passed, else UNKNOWN with what failed (requests/method are ignored).
   */
  testCase?: string;
  /** rpc_soak / channel_soak bounds (the flags of grpc-go's interop client, without the prefix). */
  soak?: SoakSpec;
}

export interface SoakSpec {
  iterations: number;
  maxFailures: number;
  perIterationMaxAcceptableLatencyMs: number;
  overallTimeoutSeconds: number;
}

/** One message sent or received, stamped in ms since the call started. */
export interface Event {
  atMs: number;
  message?: unknown;
  /** With recordSizesOnly: the response's serialized size in bytes. */
  sizeBytes?: number;
}

export interface Observation {
  client: string;
  case: string;
  method: string;
  /** The call's final status; with concurrentCalls, the first non-OK one (else OK). */
  status: { code: number; message: string };
  sent: Event[];
  /** When the client half-closed, or null if it never did (cancelled, or failed first). */
  halfCloseAtMs: number | null;
  responses: Event[];
  /** Initial and trailing metadata received, keys lower-case, "-bin" values base64. */
  headers: Record<string, string[]>;
  trailers: Record<string, string[]>;
  /**
   * Set when the driver could not perform the case (unknown method, a request that is not valid
   * for its type): "case <name>: <what is wrong>"; status is then UNKNOWN with the same message.
   */
  error?: string;
  /**
   * google.rpc.Status from the status's grpc-status-details-bin, as canonical JSON (its Any details
   * resolved through the descriptor set), when the call ended with one; {"error": ...} when it did
   * not decode.
   */
  statusDetails?: unknown;
  /** interop.CallReport in proto3 JSON, when the case asked for one. */
  callReport?: unknown;
  durationMs: number;
}
