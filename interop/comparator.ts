// The one judge. Every cell, whatever its client and server, is decided here by comparing the
// driver's observation with the case's expectation. It returns the differences, each naming
// what was expected and what came back; no differences means the cell passed.
//
// Messages arrive as canonical proto3 JSON (README: Adding a case: every driver prints its own language's
// canonical form), so the judge reads them as JSON alone and uses no generated code: a change in
// one language's codegen cannot change how another language's cells are judged.
import type { Observation } from "./contract.js";
import type { CaseDef, Expectation, Received } from "./fixtures.js";
import { judgeMetadata } from "./metadata-compare.js";
import { clientSendProblems, interleavingProblems } from "./send-timing.js";
import { statusName } from "./status.js";

const show = (v: unknown) => (typeof v === "number" && Object.is(v, -0) ? "-0" : JSON.stringify(v));

/** int64 fields arrive as JSON strings ("1700000000"): compare them as numbers. */
const asNumber = (v: unknown) => (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)) ? Number(v) : v);

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function isMatcher(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).some((k) => k.startsWith("$"));
}

/** An int64 as canonical decimal text, or undefined when the value cannot carry one exactly. */
function int64Text(v: unknown): string | undefined {
  if (typeof v === "number") return Number.isSafeInteger(v) ? String(v) : undefined;
  if (typeof v !== "string" || !/^-?\d+$/.test(v.trim())) return undefined;
  return BigInt(v.trim()).toString();
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const bytesOf = (v: unknown) => (typeof v === "string" && BASE64.test(v) ? Buffer.from(v, "base64") : undefined);

interface Matcher {
  $gt?: number; $gte?: number; $lt?: number; $lte?: number; $regex?: string;
  $int64?: string; $bytes?: string; $nan?: boolean; $negativeZero?: boolean;
}

function matchMatcher(path: string, m: Matcher, actual: unknown, out: string[]) {
  const { $gt, $gte, $lt, $lte, $regex } = m;
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
  if (m.$int64 !== undefined) {
    const want = int64Text(m.$int64);
    const got = int64Text(actual);
    if (got === undefined) out.push(`${path}: expected the int64 ${m.$int64}, got ${show(actual)}, which is not an exact integer (canonical JSON writes int64 as a string)`);
    else if (got !== want) out.push(`${path}: expected the int64 ${m.$int64}, got ${got}`);
  }
  if (m.$bytes !== undefined) {
    const got = bytesOf(actual);
    const want = bytesOf(m.$bytes) ?? Buffer.alloc(0);
    if (!got) out.push(`${path}: expected bytes (base64) ${show(m.$bytes)}, got ${show(actual)}, which is not base64`);
    else if (!got.equals(want)) out.push(`${path}: expected bytes ${want.toString("hex") || "(empty)"}, got ${got.toString("hex") || "(empty)"}`);
  }
  if (m.$nan !== undefined) {
    const isNaN = actual === "NaN";
    if (isNaN !== m.$nan) out.push(`${path}: expected ${m.$nan ? "NaN" : "a value other than NaN"}, got ${show(actual)}`);
  }
  if (m.$negativeZero !== undefined) {
    const isNegZero = Object.is(actual, -0);
    if (isNegZero !== m.$negativeZero) out.push(`${path}: expected ${m.$negativeZero ? "-0" : "a value other than -0"}, got ${show(actual)}`);
  }
}

/** Compares one value against a literal or a matcher; pushes differences under `path`. */
function matchValue(path: string, expected: unknown, actual: unknown, tolerance: number, out: string[]) {
  if (isMatcher(expected) && ("$includes" in expected || "$excludes" in expected)) {
    const { $includes, $excludes } = expected as { $includes?: unknown[]; $excludes?: unknown[] };
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
  if (isMatcher(expected)) return matchMatcher(path, expected as Matcher, actual, out);
  if (typeof expected === "number" && typeof asNumber(actual) === "number") {
    const n = asNumber(actual) as number;
    if (!(Math.abs(expected - n) <= tolerance)) out.push(`${path}: expected ${show(expected)}, got ${show(n)}`);
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
    else if (actual.length !== expected.length) out.push(`${path}: expected ${expected.length} item(s) ${show(expected)}, got ${actual.length} ${show(actual)}`);
    else expected.forEach((e, i) => matchValue(`${path}[${i}]`, e, actual[i], tolerance, out));
    return;
  }
  if (typeof expected === "object" && expected !== null) {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual)) {
      out.push(`${path}: expected ${show(expected)}, got ${show(actual)}`);
      return;
    }
    const got = actual as Record<string, unknown>;
    for (const [k, v] of Object.entries(expected)) {
      // A snake_case key (as in the .proto) names the same field as its lowerCamel JSON name.
      const key = k in got || !(camel(k) in got) ? k : camel(k);
      matchValue(`${path}.${k}`, v, got[key], tolerance, out);
    }
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
  } else if (typeof want.message === "object" && want.message !== null) {
    matchValue("status message", want.message, obs.status.message, 0, out); // a matcher, e.g. $regex
  } else if (want.message !== undefined && obs.status.message !== want.message) {
    out.push(`status message: expected ${show(want.message)}, got ${show(obs.status.message)}`);
  }
}

/** notes collects what passed but is worth a reader's eye (e.g. folded metadata); it never fails a cell. */
export function judge(c: CaseDef, obs: Observation, notes: string[] = []): string[] {
  const out: string[] = [];
  const { expect } = c;
  // The driver could not perform the case (unknown method, invalid request): that is the finding.
  if (obs.error) return [`driver: ${obs.error}`];
  const tolerance = expect.numberTolerance ?? 0;
  judgeStatus(expect, obs, out);
  judgeMetadata("header", expect.headers, obs.headers, out, notes);
  judgeMetadata("trailer", expect.trailers, obs.trailers, out, notes);
  if (expect.statusDetails) {
    if (obs.statusDetails === undefined) out.push(`status details: expected grpc-status-details-bin carrying ${show(expect.statusDetails)}, got none`);
    else matchValue("status details", expect.statusDetails, obs.statusDetails, tolerance, out);
  }
  const report = callReportOf(obs, Boolean(expect.callReport || expect.received), out);
  if (report && expect.callReport) matchValue("call report", expect.callReport, report, tolerance, out);
  if (report && expect.received) judgeReceived(expect.received, report, tolerance, out, notes);
  if (expect.eachResponseSize !== undefined) obs.responses.forEach((r, i) => matchValue(`reply[${i}] size`, expect.eachResponseSize, r.sizeBytes, 0, out));

  const replies = obs.responses.map((r) => (r.message === undefined ? {} : r.message));
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

/** The server's report of the call, when the case needs it; a missing or failed report is a difference. */
function callReportOf(obs: Observation, wanted: boolean, out: string[]): Record<string, unknown> | undefined {
  if (!wanted) return undefined;
  const report = obs.callReport as Record<string, unknown> | undefined;
  if (report === undefined) out.push("call report: expected the server's report of the call, got none");
  else if (report.error) out.push(`call report: the report call failed: ${typeof report.error === "string" ? report.error : show(report.error)}`);
  else return report;
  return undefined;
}

/** expect.received: what a stub server decoded and saw (CallReport.receivedJson, README: Any contract). */
function judgeReceived(want: Received, report: Record<string, unknown>, tolerance: number, out: string[], notes: string[]) {
  let received: { requests?: unknown[]; metadata?: Record<string, string[]> };
  try {
    received = JSON.parse(String(report.receivedJson ?? report.received_json ?? ""));
  } catch {
    out.push(`received: the server reported no received requests (receivedJson ${show(report.receivedJson)}): is it a stub server?`);
    return;
  }
  const requests = received.requests ?? [];
  const wantCount = want.requests?.length ?? want.requestCount;
  if (wantCount !== undefined && requests.length !== wantCount) out.push(`received: expected ${wantCount} request(s), got ${requests.length}`);
  want.requests?.forEach((r, i) => {
    if (i < requests.length) matchValue(`received request[${i}]`, r, requests[i], tolerance, out);
  });
  judgeMetadata("received metadata", want.metadata, received.metadata, out, notes);
  if (want.hasDeadline !== undefined && report.hasDeadline !== want.hasDeadline) out.push(`received: expected hasDeadline ${want.hasDeadline}, got ${show(report.hasDeadline)}`);
  if (want.deadlineMs !== undefined) matchValue("received deadlineMs", want.deadlineMs, report.deadlineMs, tolerance, out);
  if (want.cancelled !== undefined && report.cancelled !== want.cancelled) out.push(`received: expected cancelled ${want.cancelled}, got ${show(report.cancelled)}`);
}
