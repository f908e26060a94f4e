import { describe, expect, test } from "vitest";
import { judge } from "./comparator.js";
import type { Observation } from "./contract.js";
import type { CaseDef } from "./fixtures.js";

const identity = (m: unknown) => m;
const obs = (over: Partial<Observation>): Observation => ({
  client: "go", case: "c", method: "m", status: { code: 0, message: "" }, sent: [{ atMs: 1 }], halfCloseAtMs: 1, responses: [], headers: {}, trailers: {}, durationMs: 5, ...over,
});
const kase = (expect: CaseDef["expect"]): CaseDef => ({ name: "c", method: "greeter.Greeter/SayHello", requests: [], category: "core", file: "f", expect });
const replies = (...messages: unknown[]) => messages.map((message, i) => ({ atMs: 10 + i * 50, message }));

describe("judge", () => {
  test("$includes and $excludes judge a list in any order", () => {
    const c = kase({ status: "OK", responses: [{ service: { $includes: [{ name: "b" }, { name: "a" }], $excludes: [{ name: "x" }] } }] });
    expect(judge(c, obs({ responses: replies({ service: [{ name: "a" }, { name: "c" }, { name: "b" }] }) }), identity)).toEqual([]);
    expect(judge(c, obs({ responses: replies({ service: [{ name: "a" }, { name: "x" }] }) }), identity)).toEqual([
      'reply[0].service: expected an item {"name":"b"}, got [{"name":"a"},{"name":"x"}]',
      'reply[0].service: expected no item {"name":"x"}, got [{"name":"a"},{"name":"x"}]',
    ]);
    expect(judge(c, obs({ responses: replies({}) }), identity)).toEqual(["reply[0].service: expected a list, got undefined"]);
  });

  test("an exact reply passes, a different one names expected and got", () => {
    const c = kase({ status: "OK", responses: [{ message: "Hello interop" }] });
    expect(judge(c, obs({ responses: replies({ message: "Hello interop" }) }), identity)).toEqual([]);
    expect(judge(c, obs({ responses: replies({ message: "Hi interop" }) }), identity)).toEqual([
      'reply[0].message: expected "Hello interop", got "Hi interop"',
    ]);
  });

  test("status code and message are checked by name", () => {
    const c = kase({ status: { code: "NOT_FOUND", message: "User 7 not found" } });
    expect(judge(c, obs({ status: { code: 5, message: "User 7 not found" } }), identity)).toEqual([]);
    expect(judge(c, obs({ status: { code: 14, message: "connection refused" } }), identity)).toEqual([
      'status: expected NOT_FOUND, got UNAVAILABLE ("connection refused")',
    ]);
    expect(judge(c, obs({ status: { code: 5, message: "nope" } }), identity)).toEqual(['status message: expected "User 7 not found", got "nope"']);
  });

  test("reply count, range matchers and number tolerance", () => {
    const c = kase({ status: "OK", responseCount: 2, eachResponse: { price: { $gte: 500, $lt: 600 } } });
    expect(judge(c, obs({ responses: replies({ price: 500 }, { price: 599.99 }) }), identity)).toEqual([]);
    expect(judge(c, obs({ responses: replies({ price: 600 }) }), identity)).toEqual(["reply count: expected 2, got 1", "reply[0].price: expected < 600, got 600"]);
    const avg = kase({ status: "OK", numberTolerance: 1e-9, responses: [{ average: 26.466666666666667 }] });
    expect(judge(avg, obs({ responses: replies({ average: 26.46666666666667 }) }), identity)).toEqual([]);
    expect(judge(avg, obs({ responses: replies({ average: 26.47 }) }), identity)).toEqual(["reply[0].average: expected 26.46666666666667, got 26.47"]);
  });

  test("metadata keys must carry exactly the expected values; [] means the key must be absent", () => {
    const c = kase({ status: "OK", headers: { "x-initial-a": ["1", "2"], "x-initial-form": [] }, trailers: { "x-trailing-b-bin": ["AAE="] } });
    expect(judge(c, obs({ headers: { "x-initial-a": ["1", "2"] }, trailers: { "x-trailing-b-bin": ["AAE="] } }), identity)).toEqual([]);
    expect(judge(c, obs({ headers: { "x-initial-a": ["1, 2"], "x-initial-form": ["headers-first"] }, trailers: {} }), identity)).toEqual([
      'header x-initial-a: expected ["1","2"], got ["1, 2"]',
      'header x-initial-form: expected [], got ["headers-first"]',
      'trailer x-trailing-b-bin: expected ["AAE="], got nothing',
    ]);
  });

  test("call reports, reply sizes and index order", () => {
    const c = kase({ status: "OK", callReport: { cancelled: true, deadlineMs: { $gte: 500, $lte: 1000 } }, eachResponseSize: 3, indexSequence: true });
    const ok = obs({ callReport: { cancelled: true, deadlineMs: "998" }, responses: [{ atMs: 1, sizeBytes: 3, message: { index: "0" } }, { atMs: 2, sizeBytes: 3, message: { index: "1" } }] });
    expect(judge(c, ok, identity)).toEqual([]);
    const bad = obs({ callReport: { cancelled: false, deadlineMs: "1200" }, responses: [{ atMs: 1, sizeBytes: 4, message: { index: "1" } }] });
    expect(judge(c, bad, identity)).toEqual([
      "call report.cancelled: expected true, got false",
      "call report.deadlineMs: expected <= 1000, got 1200",
      "reply[0] size: expected 3, got 4",
      'order: expected reply[0].index to be 0, got "1"',
    ]);
    expect(judge(c, obs({}), identity)[0]).toBe("call report: expected the server's report of the call, got none");
  });

  test("a buffered server stream fails the incremental check", () => {
    const c = kase({ status: "OK", incremental: { minSpreadMs: 100 } });
    expect(judge(c, obs({ responses: [{ atMs: 1 }, { atMs: 250 }] }), identity)).toEqual([]);
    const [diff] = judge(c, obs({ responses: [{ atMs: 250 }, { atMs: 251 }] }), identity);
    expect(diff).toMatch(/spread over >= 100 ms, got 1\.0 ms .*buffered, not streamed/);
  });

  test("bidi replies must start before the half-close", () => {
    const c = kase({ status: "OK", replyBeforeHalfClose: true });
    expect(judge(c, obs({ halfCloseAtMs: 120, responses: [{ atMs: 3 }] }), identity)).toEqual([]);
    expect(judge(c, obs({ halfCloseAtMs: 120, responses: [{ atMs: 121 }] }), identity)[0]).toMatch(/first reply before the client half-closed at 120\.0 ms, got it at 121\.0 ms/);
    expect(judge(c, obs({ halfCloseAtMs: null, responses: [{ atMs: 3 }] }), identity)[0]).toMatch(/never did/);
  });

  test("replies are normalized before comparison (defaults filled in)", () => {
    const c = kase({ status: "OK", responses: [{ count: 0, average: 0 }] });
    const fillDefaults = (m: unknown) => ({ count: 0, average: 0, ...(m as object) });
    expect(judge(c, obs({ responses: replies({}) }), fillDefaults)).toEqual([]);
    expect(judge(c, obs({ responses: replies({}) }), identity)).toEqual(["reply[0].count: expected 0, got undefined", "reply[0].average: expected 0, got undefined"]);
  });
});
