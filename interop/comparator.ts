// The one judge. Every cell, whatever its client and server, is decided here by comparing the
// driver's observation with the case's expectation. It returns the differences, each naming
// what was expected and what came back; no differences means the cell passed.
import type { Observation } from "./contract.js";
import type { CaseDef, Expectation } from "./fixtures.js";
import { judgeMetadata } from "./metadata-compare.js";
import { clientSendProblems, interleavingProblems } from "./send-timing.js";
import { statusName } from "./status.js";

/** Normalizes a message from any driver's proto3 JSON (ts-proto's fromJSON fills in defaults). */
export type Normalize = (message: unknown) => unknown;

export interface Normalizers {
  response: Normalize;
  callReport?: Normalize;
}

const show = (v: unknown) => JSON.stringify(v);

/** int64 fields arrive as JSON strings ("1700000000"): compare them as numbers. */
const asNumber = (v: unknown) => (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v);

function isMatcher(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).some((k) => k.startsWith("$"));
}

/** Compares one value against a literal or a matcher; pushes differences under `path`. */
function matchValue(path: string, expected: unknown, actual: unknown, tolerance: number, out: string[]) {
  if (isMatcher(expected)) {
    const { $gt, $gte, $lt, $lte, $regex } = expected as { $gt?: number; $gte?: number; $lt?: number; $lte?: number; $regex?: string };
    const numeric = [$gt, $gte, $lt, $lte].some((b) => b !== undefined);
    const n = asNumber(actual);
    if (numeric && typeof n !== "number") {
      out.push(`${path}: expected a number, got ${show(actual)}`);
      return;
    }
    if ($gt !== undefined && !((n as number) > $gt)) out.push(`${path}: expected > ${$gt}, got ${n}`);
    if ($gte !== undefined && !((n as number) >= $gte)) out.push(`${path}: expected >= ${$gte}, got ${n}`);
    if ($lt !== undefined && !((n as number) < $lt)) out.push(`${path}: expected < ${$lt}, got ${n}`);
    if ($lte !== undefined && !((n as number) <= $lte)) out.push(`${path}: expected <= ${$lte}, got ${n}`);
    if ($regex !== undefined && !(typeof actual === "string" && new RegExp($regex).test(actual))) {
      out.push(`${path}: expected text matching /${$regex}/, got ${show(actual)}`);
    }
    return;
  }
  if (typeof expected === "number" && typeof asNumber(actual) === "number") {
    const n = asNumber(actual) as number;
    if (!(Math.abs(expected - n) <= tolerance)) out.push(`${path}: expected ${expected}, got ${n}`);
    return;
  }
  if (typeof expected === "object" && expected !== null && !Array.isArray(expected)) {
    if (typeof actual !== "object" || actual === null) {
      out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
      return;
    }
    for (const [k, v] of Object.entries(expected)) matchValue(`${path}.${k}`, v, (actual as Record<string, unknown>)[k], tolerance, out);
    return;
  }
  if (show(expected) !== show(actual)) out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
}

function judgeStatus(expect: Expectation, obs: Observation, out: string[]) {
  const want = typeof expect.status === "string" ? { code: expect.status } : expect.status;
  const got = statusName(obs.status.code);
  if (got !== want.code) {
    const detail = obs.status.message ? ` (${show(obs.status.message)})` : "";
    out.push(`status: expected ${want.code}, got ${got}${detail}`);
  } else if (want.message !== undefined && obs.status.message !== want.message) {
    out.push(`status message: expected ${show(want.message)}, got ${show(obs.status.message)}`);
  }
}

/** notes collects what passed but is worth a reader's eye (e.g. folded metadata); it never fails a cell. */
export function judge(c: CaseDef, obs: Observation, normalizers: Normalizers | Normalize, notes: string[] = []): string[] {
  const out: string[] = [];
  const { expect } = c;
  const { response: normalize, callReport: normalizeReport = (m: unknown) => m } = typeof normalizers === "function" ? { response: normalizers } : normalizers;
  const tolerance = expect.numberTolerance ?? 0;
  judgeStatus(expect, obs, out);
  judgeMetadata("header", expect.headers, obs.headers, out, notes);
  judgeMetadata("trailer", expect.trailers, obs.trailers, out, notes);
  if (expect.callReport) {
    if (obs.callReport === undefined) out.push("call report: expected the server's report of the call, got none");
    else if ((obs.callReport as { error?: string }).error) out.push(`call report: the report call failed: ${(obs.callReport as { error: string }).error}`);
    else matchValue("call report", expect.callReport, normalizeReport(obs.callReport), tolerance, out);
  }
  if (expect.eachResponseSize !== undefined) obs.responses.forEach((r, i) => matchValue(`reply[${i}] size`, expect.eachResponseSize, r.sizeBytes, 0, out));

  const replies = obs.responses.map((r) => (r.message === undefined ? {} : normalize(r.message)));
  if (expect.indexSequence) {
    const wrong = replies.findIndex((r, i) => Number((r as { index?: unknown }).index) !== i);
    if (wrong >= 0) out.push(`order: expected reply[${wrong}].index to be ${wrong}, got ${show((replies[wrong] as { index?: unknown }).index)}`);
  }
  const wantCount = expect.responses?.length ?? expect.responseCount;
  if (wantCount !== undefined && replies.length !== wantCount) {
    out.push(`reply count: expected ${wantCount}, got ${replies.length}`);
  }
  expect.responses?.forEach((want, i) => {
    if (i < replies.length) matchValue(`reply[${i}]`, want, replies[i], tolerance, out);
  });
  if (expect.eachResponse) replies.forEach((r, i) => matchValue(`reply[${i}]`, expect.eachResponse, r, tolerance, out));

  if (expect.incremental && obs.responses.length >= 2) {
    const first = obs.responses[0].atMs;
    const last = obs.responses[obs.responses.length - 1].atMs;
    if (last - first < expect.incremental.minSpreadMs) {
      out.push(
        `streaming: expected replies spread over >= ${expect.incremental.minSpreadMs} ms, got ${(last - first).toFixed(1)} ms ` +
          `(first at ${first.toFixed(1)} ms, last at ${last.toFixed(1)} ms): the replies were buffered, not streamed`,
      );
    }
  }

  const clientProblems = clientSendProblems(c, obs);
  out.push(...clientProblems, ...interleavingProblems(c, obs, clientProblems));
  return out;
}
