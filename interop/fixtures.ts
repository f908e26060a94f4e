// Loads the data that drives a run: cases (fixtures/cases/*.json), matrix settings
// (fixtures/matrix.json) and the known-failing list (fixtures/known-failing.json).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { CaseSpec } from "./contract.js";
import { UsageError } from "./errors.js";
import { FIXTURES_DIR } from "./paths.js";

export interface Expectation {
  /** A status code name ("OK", "NOT_FOUND", ...), optionally with the exact message. */
  status: string | { code: string; message?: string };
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
  /** Every reply's serialized size (with recordSizesOnly). */
  eachResponseSize?: unknown;
  /** Reply i has index i (order and count of long streams). */
  indexSequence?: boolean;
  /** Initial and trailing metadata: each listed key must carry exactly these values, in order. */
  headers?: Record<string, string[]>;
  trailers?: Record<string, string[]>;
  /** What the server reported of the call (interop.CallReport fields). */
  callReport?: Record<string, unknown>;
}

/** How a case reaches the server: the harness picks the port and the TLS material. */
export type Transport = "plaintext" | "tls" | "mtls" | "tls-wrong-ca" | "mtls-without-client-cert";
export const TRANSPORTS: readonly Transport[] = ["plaintext", "tls", "mtls", "tls-wrong-ca", "mtls-without-client-cert"];

/** A case as written in fixtures/: the driver's CaseSpec, less what the harness fills in per cell. */
export interface CaseDef extends Omit<CaseSpec, "address" | "tls" | "callReport"> {
  category: string;
  expect: Expectation;
  transport?: Transport;
  /** Ask the server afterwards what it saw of the call (the harness makes the tag). */
  callReport?: { waitMs: number };
  /** The fixture file it came from, for error messages. */
  file: string;
}

export interface MatrixSettings {
  server: { tickMs: number };
  serverStartTimeoutMs: number;
  cellGraceMs: number;
  concurrency: number;
}

export interface KnownFailing {
  client: string;
  server: string;
  case: string;
  reason: string;
}

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
      if (c.transport && !TRANSPORTS.includes(c.transport)) throw new UsageError(`${where}: unknown transport "${c.transport}": choose from ${TRANSPORTS.join(", ")}`);
      seen.set(c.name, path);
      cases.push({ ...c, category: c.category ?? doc.category ?? "core", file: path });
    }
  }
  return cases;
}

export function loadSettings(path = join(FIXTURES_DIR, "matrix.json")): MatrixSettings {
  return readJson(path) as MatrixSettings;
}

/** Known-failing (expected to fail) and known-flaky (retried once) lists share one format. */
export function loadKnownFailing(path = join(FIXTURES_DIR, "known-failing.json")): KnownFailing[] {
  const doc = readJson(path);
  for (const e of doc.entries ?? []) {
    if (!e.reason) throw new UsageError(`${path}: every entry needs a "reason" (${JSON.stringify(e)})`);
  }
  return (doc.entries ?? []).map((e: Partial<KnownFailing>) => ({ client: "*", server: "*", case: "*", ...e }));
}

export const loadKnownFlaky = () => loadKnownFailing(join(FIXTURES_DIR, "known-flaky.json"));
