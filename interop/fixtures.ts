// Loads the data that drives a run: cases (fixtures/cases/*.json), matrix settings
// (fixtures/matrix.json) and the known-failing list (fixtures/known-failing.json).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fromJson, type DescMessage } from "@bufbuild/protobuf";
import type { CaseSpec } from "./contract.js";
import type { Contract } from "../ts-client/driver-kit/contract.js";
import { UsageError } from "./errors.js";
import { parseKnownEntry, type KnownEntry } from "./known.js";
import { FIXTURES_DIR, ROOT } from "./paths.js";

export interface Expectation {
  /** A status code name ("OK", "NOT_FOUND", ...), optionally with the exact message (or a matcher such as $regex). */
  status: string | { code: string; message?: string | Record<string, unknown> };
  /** The exact replies, in order (fields not listed are not checked). */
  responses?: Record<string, unknown>[];
  /** How many replies, when the replies themselves are checked by eachResponse. */
  responseCount?: number;
  /** A pattern every reply must match. */
  eachResponse?: Record<string, unknown>;
  /** Absolute tolerance for plain numbers in expected replies. */
  numberTolerance?: number;
  /** Server streaming: the last reply arrives at least this long after the first. */
  incremental?: { minSpreadMs: number };
  /** Bidi: the first reply arrives before the client half-closes. */
  replyBeforeHalfClose?: boolean;
  /** Bidi: every reply i arrives before the client sends request i+1 (the last before the half-close). */
  pingPong?: boolean;
  /** Bidi, half-duplex: every reply arrives after the client half-closed. */
  repliesAfterHalfClose?: boolean;
  /** Every reply's serialized size (with recordSizesOnly). */
  eachResponseSize?: unknown;
  /** Reply i has index i (order and count of long streams). */
  indexSequence?: boolean;
  /** Initial and trailing metadata: each listed key must carry exactly these values, in order. */
  headers?: Record<string, string[]>;
  trailers?: Record<string, string[]>;
  /** google.rpc.Status decoded from grpc-status-details-bin (listed fields; Any details by "@type"). */
  statusDetails?: Record<string, unknown>;
  /** What the server reported of the call (interop.CallReport fields). */
  callReport?: Record<string, unknown>;
  /** What a stub server decoded and saw (the case gets a call report automatically). */
  received?: Received;
}

/** Judged against a stub's record of the call (README: Any contract). */
export interface Received {
  /** The requests as the stub decoded them, exact count, listed fields checked. */
  requests?: Record<string, unknown>[];
  requestCount?: number;
  /** Request metadata: each listed key carries exactly these values ("-bin" values base64). */
  metadata?: Record<string, string[]>;
  hasDeadline?: boolean;
  /** ms left of the deadline when the handler started: a number or a matcher. */
  deadlineMs?: unknown;
  cancelled?: boolean;
}

/** How a stub server answers a case (README: Any contract); written to the stubs file as is. */
export interface StubBlock {
  responses?: Record<string, unknown>[];
  status?: { code: string; message?: string; details?: Record<string, unknown>[] };
  headers?: Record<string, string[]>;
  trailers?: Record<string, string[]>;
  delayMs?: number;
  responseIntervalMs?: number;
  bidi?: "ping-pong" | "half-duplex";
}

/** How a case reaches the server: the harness picks the port and the TLS material. */
/** "tap": plaintext through the harness's wire tap (interop/wire-tap.ts), which records what was on the wire. */
export type Transport = "plaintext" | "tap" | "tls" | "mtls" | "tls-wrong-ca" | "tls-wrong-name" | "mtls-without-client-cert";
export const TRANSPORTS: readonly Transport[] = ["plaintext", "tap", "tls", "mtls", "tls-wrong-ca", "tls-wrong-name", "mtls-without-client-cert"];

/** A case as written in fixtures/: the driver's CaseSpec, less what the harness fills in per cell. */
export interface CaseDef extends Omit<CaseSpec, "address" | "tls" | "callReport"> {
  category: string;
  expect: Expectation;
  transport?: Transport;
  /** Ask the server afterwards what it saw of the call (the harness makes the tag). */
  callReport?: { waitMs: number };
  /** How stub servers answer this case; only cases with one run on stubs. */
  stub?: StubBlock;
  /** Narrow the servers and clients the case runs on (globs on peer names). */
  servers?: string[];
  clients?: string[];
  /** The fixture file it came from, for error messages. */
  file: string;
}

export interface MatrixSettings {
  server: { tickMs: number };
  serverStartTimeoutMs: number;
  cellGraceMs: number;
  concurrency: number;
}

/** A known-failing or known-flaky entry: globs, a reason, and the difference it pins (interop/known.ts). */
export type KnownFailing = KnownEntry;

function readJson(path: string): any {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new UsageError(`${path}: ${(e as Error).message}: fix the fixture file`);
  }
}

/** Case files, or folders of them (interop.config.yaml's cases:). */
export function loadCases(from: string | string[] = join(FIXTURES_DIR, "cases")): CaseDef[] {
  const cases: CaseDef[] = [];
  const seen = new Map<string, string>();
  const files = (Array.isArray(from) ? from : [from]).flatMap((p) =>
    statSync(p).isDirectory() ? readdirSync(p).filter((f) => f.endsWith(".json")).sort().map((f) => join(p, f)) : [p],
  );
  for (const path of files) {
    const doc = readJson(path);
    if (!Array.isArray(doc.cases)) throw new UsageError(`${path}: expected a "cases" array`);
    for (const c of doc.cases) {
      const where = `${path}: case ${JSON.stringify(c?.name)}`;
      if (typeof c?.name !== "string" || !c.name) throw new UsageError(`${path}: a case has no name`);
      if (seen.has(c.name)) throw new UsageError(`${where} is also defined in ${seen.get(c.name)}: case names must be unique`);
      if (typeof c.method !== "string" || !c.method.includes("/")) throw new UsageError(`${where}: "method" must be "package.Service/Method"`);
      if (!Array.isArray(c.requests)) throw new UsageError(`${where}: "requests" must be an array`);
      if (typeof c.expect?.status === "undefined") throw new UsageError(`${where}: "expect.status" is required`);
      for (const key of ["servers", "clients"] as const) {
        if (c[key] !== undefined && !(Array.isArray(c[key]) && c[key].every((g: unknown) => typeof g === "string"))) throw new UsageError(`${where}: "${key}" must be a list of peer-name globs, e.g. ["go*", "python"]`);
      }
      if (c.stub !== undefined && (typeof c.stub !== "object" || c.stub === null || Array.isArray(c.stub))) throw new UsageError(`${where}: "stub" must be an object (responses, status, headers, trailers, delayMs, responseIntervalMs, bidi)`);
      if (c.transport && !TRANSPORTS.includes(c.transport)) throw new UsageError(`${where}: unknown transport "${c.transport}": choose from ${TRANSPORTS.join(", ")}`);
      seen.set(c.name, path);
      cases.push({ ...c, category: c.category ?? doc.category ?? "core", file: path });
    }
  }
  return cases;
}

/**
 * Every case against the contract, before anything starts: its method exists, and its requests
 * (and its stub's responses) are valid proto3 JSON of their types. The first problem is one
 * UsageError naming the file, the case and what to write.
 */
export function checkCases(cases: CaseDef[], contract: Contract): void {
  for (const c of cases) {
    const where = `${c.file}: case ${JSON.stringify(c.name)}`;
    const method = contract.methods.get(c.method);
    if (!method) {
      const service = c.method.split("/")[0];
      const known = [...contract.methods.keys()].filter((m) => m.startsWith(`${service}/`));
      const hint = known.length ? `${service} has ${known.map((m) => m.split("/")[1]).join(", ")}` : `no .proto under proto/ defines the service ${service}`;
      throw new UsageError(`${where}: unknown method ${c.method}: ${hint}`);
    }
    const check = (what: string, schema: DescMessage, json: unknown) => {
      try {
        fromJson(schema, json as never, { registry: contract.registry });
      } catch (e) {
        const fields = schema.fields.map((f) => f.jsonName).join(", ");
        throw new UsageError(`${where}: ${what} is not a valid ${schema.typeName} (${(e as Error).message.replace(/^cannot decode [^:]*: /, "")}): write proto3 JSON with the fields ${fields || "(none)"}`);
      }
    };
    c.requests.forEach((r, i) => check(`requests[${i}]`, method.input, r));
    if (c.stub?.responses !== undefined && !Array.isArray(c.stub.responses)) throw new UsageError(`${where}: "stub.responses" must be a list of ${method.output.typeName} in proto3 JSON`);
    c.stub?.responses?.forEach((r, i) => check(`stub.responses[${i}]`, method.output, r));
  }
}

export function loadSettings(path = join(FIXTURES_DIR, "matrix.json")): MatrixSettings {
  return readJson(path) as MatrixSettings;
}

/** Known-failing (expected to fail) and known-flaky (retried once) lists share one format. */
export function loadKnownFailing(path = join(FIXTURES_DIR, "known-failing.json")): KnownFailing[] {
  const doc = readJson(path);
  const source = relative(ROOT, path) || path;
  if (doc.entries !== undefined && !Array.isArray(doc.entries)) throw new UsageError(`${source}: "entries" must be an array`);
  return ((doc.entries ?? []) as unknown[]).map((e) => parseKnownEntry(e, source));
}

export const loadKnownFlaky = () => loadKnownFailing(join(FIXTURES_DIR, "known-flaky.json"));
