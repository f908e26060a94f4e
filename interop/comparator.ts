// The one judge. Every cell, whatever its client and server, is decided here by comparing the
// driver's observation with the case's expectation. It returns the differences, each naming
// what was expected and what came back; no differences means the cell passed.
import type { Observation } from "./contract.js";
import type { CaseDef, Expectation } from "./fixtures.js";
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
    const { $gt, $gte, $lt, $lte, $regex, $includes, $excludes } = expected as { $gt?: number; $gte?: number; $lt?: number; $lte?: number; $regex?: string; $includes?: unknown[]; $excludes?: unknown[] };
    if ($includes !== undefined || $excludes !== undefined) {
      // A list in any order (e.g. the services reflection lists): each $includes item matches
      // some element, no $excludes item matches any.
      if (!Array.isArray(actual)) return void out.push(`${path}: expected a list, got ${show(actual)}`);
      const matches = (want: unknown) => actual.some((a) => {
        const diff: string[] = [];
        matchValue(path, want, a, tolerance, diff);
        return diff.length === 0;
      });
      for (const want of $includes ?? []) if (!matches(want)) out.push(`${path}: expected an item ${show(want)}, got ${show(actual)}`);
      for (const want of $excludes ?? []) if (matches(want)) out.push(`${path}: expected no item ${show(want)}, got ${show(actual)}`);
      return;
    }
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

/** Each listed metadata key must carry exactly the expected values, in order; [] means absent. */
function judgeMetadata(label: string, want: Record<string, string[]> | undefined, got: Record<string, string[]> | undefined, out: string[]) {
  for (const [key, values] of Object.entries(want ?? {})) {
    const actual = got?.[key];
    if (values.length === 0 && (actual === undefined || actual.length === 0)) continue;
    if (show(actual) !== show(values)) out.push(`${label} ${key}: expected ${show(values)}, got ${actual === undefined ? "nothing" : show(actual)}`);
  }
}

export function judge(c: CaseDef, obs: Observation, normalizers: Normalizers | Normalize): string[] {
  const out: string[] = [];
  const { expect } = c;
  const { response: normalize, callReport: normalizeReport = (m: unknown) => m } = typeof normalizers === "function" ? { response: normalizers } : normalizers;
  const tolerance = expect.numberTolerance ?? 0;
  judgeStatus(expect, obs, out);
  judgeMetadata("header", expect.headers, obs.headers, out);
  judgeMetadata("trailer", expect.trailers, obs.trailers, out);
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

  if (expect.replyBeforeHalfClose && obs.responses.length > 0) {
    const firstReply = obs.responses[0].atMs;
    if (obs.halfCloseAtMs === null) out.push("interleaving: expected the client to half-close, but it never did");
    else if (!(firstReply < obs.halfCloseAtMs)) {
      out.push(
        `interleaving: expected the first reply before the client half-closed at ${obs.halfCloseAtMs.toFixed(1)} ms, ` +
          `got it at ${firstReply.toFixed(1)} ms: the server held its replies until the end of the requests`,
      );
    }
  }
  return out;
}
