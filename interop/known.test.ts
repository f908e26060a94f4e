// Known-failing and known-flaky entries pin the failure they document (interop/known.ts).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { loadKnownFailing } from "./fixtures.js";
import { applyKnownFailing, explain, parseKnownEntry, type KnownEntry } from "./known.js";

const entry = (difference: string[]): KnownEntry => ({ client: "ts", server: "*", case: "metadata-*", reason: "grpc-js folds", difference, source: "fixtures/known-failing.json" });
const dir = mkdtempSync(join(tmpdir(), "known-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("explain", () => {
  const folded = entry(["^header x-initial-ascii: expected \\[\"first\",\"second\"\\], got \\[\"first, second\"\\]$"]);
  test("every difference line matched and every pattern used: explained", () => {
    expect(explain(folded, 'header x-initial-ascii: expected ["first","second"], got ["first, second"]')).toEqual({ explained: true, unexplained: [], unmatched: [] });
  });
  test("one more difference line (e.g. the trailers dropped) is not explained", () => {
    const why = explain(folded, 'header x-initial-ascii: expected ["first","second"], got ["first, second"]\ntrailer x-trailing-ascii: expected ["third","fourth"], got nothing');
    expect(why).toEqual({ explained: false, unexplained: ['trailer x-trailing-ascii: expected ["third","fourth"], got nothing'], unmatched: [] });
  });
  test("a documented pattern that matches no line is not explained either", () => {
    const two = entry(["^status: expected OK", "^reply count:"]);
    expect(explain(two, "status: expected OK, got INTERNAL")).toEqual({ explained: false, unexplained: [], unmatched: ["^reply count:"] });
  });
  test("no difference at all explains nothing", () => {
    expect(explain(folded, "").explained).toBe(false);
  });
});

describe("applyKnownFailing", () => {
  const e = entry(["^status: expected DEADLINE_EXCEEDED, got CANCELLED"]);
  test("fails as documented: known-failing, with its reason and documented difference", () => {
    expect(applyKnownFailing(e, { status: "failed", error: 'status: expected DEADLINE_EXCEEDED, got CANCELLED ("x")' })).toEqual({
      status: "known-failing", error: 'status: expected DEADLINE_EXCEEDED, got CANCELLED ("x")', knownFailingReason: "grpc-js folds", documentedDifference: e.difference,
    });
  });
  test("fails another way: a plain failure whose error shows the documented and the actual difference", () => {
    const v = applyKnownFailing(e, { status: "failed", error: "status: expected DEADLINE_EXCEEDED, got OK\ncall report.cancelled: expected true, got false" });
    expect(v.status).toBe("failed");
    expect(v.knownFailingReason).toBeUndefined();
    expect(v.error).toBe(
      [
        "failed, but not as its known-failing entry documents (fixtures/known-failing.json: grpc-js folds)",
        "documented difference: /^status: expected DEADLINE_EXCEEDED, got CANCELLED/",
        "actual difference:",
        "  status: expected DEADLINE_EXCEEDED, got OK",
        "  call report.cancelled: expected true, got false",
        "not explained by the entry: 2 line(s)",
        "documented but not seen: /^status: expected DEADLINE_EXCEEDED, got CANCELLED/",
      ].join("\n"),
    );
  });
  test("passes: the run fails, naming the stale entry", () => {
    const v = applyKnownFailing(e, { status: "passed" });
    expect(v.status).toBe("failed");
    expect(v.error).toMatch(/^listed as known-failing \(grpc-js folds\) but it passed: remove its entry from fixtures\/known-failing\.json/);
  });
});

describe("loading entries", () => {
  const write = (entries: unknown) => {
    const path = join(dir, `known-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, JSON.stringify({ entries }));
    return path;
  };
  test("an entry without a difference is one error line saying what to add", () => {
    const path = write([{ client: "ts", case: "x", reason: "r" }]);
    expect(() => loadKnownFailing(path)).toThrow(/^.*known-.*\.json: entry \{"client":"ts","case":"x","reason":"r"\} has no "difference": add the regex \(or list of regexes\)/);
    expect(() => loadKnownFailing(path)).toThrow(expect.objectContaining({ name: "UsageError" }));
  });
  test("a bad regex, an empty list or a missing reason are errors too", () => {
    expect(() => loadKnownFailing(write([{ reason: "r", difference: "(" }]))).toThrow(/"difference" "\(" is not a valid regex/);
    expect(() => loadKnownFailing(write([{ reason: "r", difference: [] }]))).toThrow(/has no "difference"/);
    expect(() => loadKnownFailing(write([{ difference: "x" }]))).toThrow(/needs a "reason"/);
  });
  test("a string difference becomes a one-pattern list; globs default to *", () => {
    expect(parseKnownEntry({ reason: "r", difference: "^x$" }, "f.json")).toEqual({ client: "*", server: "*", case: "*", reason: "r", difference: ["^x$"], source: "f.json" });
  });
  test("the project's own lists load (each entry pins a difference)", () => {
    expect(() => loadKnownFailing()).not.toThrow();
    for (const e of loadKnownFailing()) expect(e.difference.length).toBeGreaterThan(0);
  });
});
