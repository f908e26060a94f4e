import { describe, expect, test } from "vitest";
import { judge } from "./comparator.js";
import type { Observation } from "./contract.js";
import type { CaseDef } from "./fixtures.js";

const obs = (over: Partial<Observation>): Observation => ({
  client: "go", case: "c", method: "m", status: { code: 0, message: "" }, sent: [{ atMs: 1 }], halfCloseAtMs: 1, responses: [], headers: {}, trailers: {}, durationMs: 5, ...over,
});
const kase = (expect: CaseDef["expect"]): CaseDef => ({ name: "c", method: "greeter.Greeter/SayHello", requests: [], category: "core", file: "f", expect });
const replies = (...messages: unknown[]) => messages.map((message, i) => ({ atMs: 10 + i * 50, message }));

describe("judge", () => {
  test("$includes and $excludes judge a list in any order", () => {
    const c = kase({ status: "OK", responses: [{ service: { $includes: [{ name: "b" }, { name: "a" }], $excludes: [{ name: "x" }] } }] });
    expect(judge(c, obs({ responses: replies({ service: [{ name: "a" }, { name: "c" }, { name: "b" }] }) }))).toEqual([]);
    expect(judge(c, obs({ responses: replies({ service: [{ name: "a" }, { name: "x" }] }) }))).toEqual([
      'reply[0].service: expected an item {"name":"b"}, got [{"name":"a"},{"name":"x"}]',
      'reply[0].service: expected no item {"name":"x"}, got [{"name":"a"},{"name":"x"}]',
    ]);
    expect(judge(c, obs({ responses: replies({}) }))).toEqual(["reply[0].service: expected a list, got undefined"]);
  });

  test("an exact reply passes, a different one names expected and got", () => {
    const c = kase({ status: "OK", responses: [{ message: "Hello interop" }] });
    expect(judge(c, obs({ responses: replies({ message: "Hello interop" }) }))).toEqual([]);
    expect(judge(c, obs({ responses: replies({ message: "Hi interop" }) }))).toEqual([
      'reply[0].message: expected "Hello interop", got "Hi interop"',
    ]);
  });

  test("status code and message are checked by name", () => {
    const c = kase({ status: { code: "NOT_FOUND", message: "User 7 not found" } });
    expect(judge(c, obs({ status: { code: 5, message: "User 7 not found" } }))).toEqual([]);
    expect(judge(c, obs({ status: { code: 14, message: "connection refused" } }))).toEqual([
      'status: expected NOT_FOUND, got UNAVAILABLE ("connection refused")',
    ]);
    expect(judge(c, obs({ status: { code: 5, message: "nope" } }))).toEqual(['status message: expected "User 7 not found", got "nope"']);
  });

  test("status details: google.rpc.Status as decoded by the client, or named as missing", () => {
    const want = { code: 9, details: [{ "@type": "type.googleapis.com/interop.EchoRequest", index: 7 }] };
    const c = kase({ status: "FAILED_PRECONDITION", statusDetails: want });
    const details = { code: 9, message: "m", details: [{ "@type": "type.googleapis.com/interop.EchoRequest", index: "7", payload: "" }] };
    expect(judge(c, obs({ status: { code: 9, message: "m" }, statusDetails: details }))).toEqual([]);
    expect(judge(c, obs({ status: { code: 9, message: "m" } }))).toEqual([
      'status details: expected grpc-status-details-bin carrying {"code":9,"details":[{"@type":"type.googleapis.com/interop.EchoRequest","index":7}]}, got none',
    ]);
  });

  test("a status message may be a matcher: it must name the cause", () => {
    const c = kase({ status: { code: "UNAVAILABLE", message: { $regex: "not wrong\\.interop\\.test" } } });
    expect(judge(c, obs({ status: { code: 14, message: "x509: certificate is valid for interop.test, not wrong.interop.test" } }))).toEqual([]);
    expect(judge(c, obs({ status: { code: 14, message: "connection refused" } }))).toEqual([
      'status message: expected text matching /not wrong\\.interop\\.test/, got "connection refused"',
    ]);
  });

  test("reply count, range matchers and number tolerance", () => {
    const c = kase({ status: "OK", responseCount: 2, eachResponse: { price: { $gte: 500, $lt: 600 } } });
    expect(judge(c, obs({ responses: replies({ price: 500 }, { price: 599.99 }) }))).toEqual([]);
    expect(judge(c, obs({ responses: replies({ price: 600 }) }))).toEqual(["reply count: expected 2, got 1", "reply[0].price: expected < 600, got 600"]);
    const avg = kase({ status: "OK", numberTolerance: 1e-9, responses: [{ average: 26.466666666666667 }] });
    expect(judge(avg, obs({ responses: replies({ average: 26.46666666666667 }) }))).toEqual([]);
    expect(judge(avg, obs({ responses: replies({ average: 26.47 }) }))).toEqual(["reply[0].average: expected 26.46666666666667, got 26.47"]);
  });

  test("metadata keys must carry the expected values; [] means the key must be absent (folding: metadata-compare.test.ts)", () => {
    const c = kase({ status: "OK", headers: { "x-initial-a": ["1", "2"], "x-initial-form": [] }, trailers: { "x-trailing-b-bin": ["AAE="] } });
    expect(judge(c, obs({ headers: { "x-initial-a": ["1", "2"] }, trailers: { "x-trailing-b-bin": ["AAE="] } }))).toEqual([]);
    expect(judge(c, obs({ headers: { "x-initial-a": ["2, 1"], "x-initial-form": ["headers-first"] }, trailers: {} }))).toEqual([
      'header x-initial-a: expected ["1","2"], got ["2, 1"]',
      'header x-initial-form: expected [], got ["headers-first"]',
      'trailer x-trailing-b-bin: expected ["AAE="], got nothing',
    ]);
  });

  test("call reports, reply sizes and index order", () => {
    const c = kase({ status: "OK", callReport: { cancelled: true, deadlineMs: { $gte: 500, $lte: 1000 } }, eachResponseSize: 3, indexSequence: true });
    const ok = obs({ callReport: { cancelled: true, deadlineMs: "998" }, responses: [{ atMs: 1, sizeBytes: 3, message: { index: "0" } }, { atMs: 2, sizeBytes: 3, message: { index: "1" } }] });
    expect(judge(c, ok)).toEqual([]);
    const bad = obs({ callReport: { cancelled: false, deadlineMs: "1200" }, responses: [{ atMs: 1, sizeBytes: 4, message: { index: "1" } }] });
    expect(judge(c, bad)).toEqual([
      "call report.cancelled: expected true, got false",
      "call report.deadlineMs: expected <= 1000, got 1200",
      "reply[0] size: expected 3, got 4",
      'order: expected reply[0].index to be 0, got "1"',
    ]);
    expect(judge(c, obs({}))[0]).toBe("call report: expected the server's report of the call, got none");
  });

  test("a buffered server stream fails the incremental check", () => {
    const c = kase({ status: "OK", incremental: { minSpreadMs: 100 } });
    expect(judge(c, obs({ responses: [{ atMs: 1 }, { atMs: 250 }] }))).toEqual([]);
    const [diff] = judge(c, obs({ responses: [{ atMs: 250 }, { atMs: 251 }] }));
    expect(diff).toMatch(/spread over >= 100 ms, got 1\.0 ms .*buffered, not streamed/);
  });

  test("bidi replies must start before the half-close", () => {
    const c = kase({ status: "OK", replyBeforeHalfClose: true });
    expect(judge(c, obs({ halfCloseAtMs: 120, responses: [{ atMs: 3 }] }))).toEqual([]);
    expect(judge(c, obs({ halfCloseAtMs: 120, responses: [{ atMs: 121 }] }))[0]).toMatch(/first reply before the client half-closed at 120\.0 ms, got it at 121\.0 ms/);
    expect(judge(c, obs({ halfCloseAtMs: null, responses: [{ atMs: 3 }] }))[0]).toMatch(/never did/);
  });

  test("replies are canonical JSON, judged as JSON: a field the driver left out is a difference", () => {
    const c = kase({ status: "OK", responses: [{ count: 0, average: 0 }] });
    expect(judge(c, obs({ responses: replies({ count: 0, average: 0 }) }))).toEqual([]);
    expect(judge(c, obs({ responses: replies({}) }))).toEqual(["reply[0].count: expected 0, got undefined", "reply[0].average: expected 0, got undefined"]);
  });

  test("a snake_case expected key names the lowerCamel JSON field", () => {
    const c = kase({ status: "OK", responses: [{ user_id: "u1", created_at: 5 }] });
    expect(judge(c, obs({ responses: replies({ userId: "u1", createdAt: "5" }) }))).toEqual([]);
    expect(judge(c, obs({ responses: replies({ userId: "u2", createdAt: "5" }) }))).toEqual(['reply[0].user_id: expected "u1", got "u2"']);
  });

  test("$int64 compares exact decimal values, beyond 2^53 too", () => {
    const c = kase({ status: "OK", responses: [{ id: { $int64: "9007199254740993" }, min: { $int64: "-9223372036854775808" } }] });
    expect(judge(c, obs({ responses: replies({ id: "9007199254740993", min: "-9223372036854775808" }) }))).toEqual([]);
    expect(judge(c, obs({ responses: replies({ id: "9007199254740992", min: "-9223372036854775808" }) }))).toEqual(["reply[0].id: expected the int64 9007199254740993, got 9007199254740992"]);
    // A JSON number beyond 2^53 has already lost the value: never equal, whatever it rounds to.
    expect(judge(c, obs({ responses: replies({ id: 9007199254740993, min: "-9223372036854775808" }) }))[0]).toMatch(/not an exact integer/);
  });

  test("$bytes compares decoded bytes (padding and URL-safe alphabet do not matter)", () => {
    const c = kase({ status: "OK", responses: [{ data: { $bytes: "AP8=" }, empty: { $bytes: "" } }] });
    expect(judge(c, obs({ responses: replies({ data: "AP8", empty: "" }) }))).toEqual([]);
    expect(judge(c, obs({ responses: replies({ data: "AP4=", empty: "" }) }))).toEqual(["reply[0].data: expected bytes 00ff, got 00fe"]);
    expect(judge(c, obs({ responses: replies({ data: 5, empty: "AA==" }) }))).toEqual([
      "reply[0].data: expected bytes (base64) \"AP8=\", got 5, which is not base64",
      "reply[0].empty: expected bytes (empty), got 00",
    ]);
  });

  test("$nan and $negativeZero", () => {
    const c = kase({ status: "OK", responses: [{ x: { $nan: true }, z: { $negativeZero: true } }] });
    expect(judge(c, obs({ responses: replies({ x: "NaN", z: -0 }) }))).toEqual([]);
    expect(judge(c, obs({ responses: replies({ x: 0, z: 0 }) }))).toEqual(["reply[0].x: expected NaN, got 0", "reply[0].z: expected -0, got 0"]);
    // A plain -0 compares numerically: only the matcher insists on the sign.
    expect(judge(kase({ status: "OK", responses: [{ z: 0 }] }), obs({ responses: replies({ z: -0 }) }))).toEqual([]);
  });

  test("repeated fields: same length, each item judged", () => {
    const c = kase({ status: "OK", responses: [{ tags: ["a", "b"], ids: [1, { $int64: "2" }] }] });
    expect(judge(c, obs({ responses: replies({ tags: ["a", "b"], ids: ["1", "2"] }) }))).toEqual([]);
    expect(judge(c, obs({ responses: replies({ tags: ["a"], ids: ["1", "3"] }) }))).toEqual([
      'reply[0].tags: expected 2 item(s) ["a","b"], got 1 ["a"]',
      "reply[0].ids[1]: expected the int64 2, got 3",
    ]);
  });

  test("a driver's error is the cell's one difference", () => {
    const c = kase({ status: "OK" });
    expect(judge(c, obs({ error: "case c: requests[0]: key \"nme\" is unknown", status: { code: 2, message: "x" } }))).toEqual(['driver: case c: requests[0]: key "nme" is unknown']);
  });

  test("expect.received judges the stub's record: requests, count, metadata, deadline, cancellation", () => {
    const c = kase({ status: "OK", received: { requests: [{ id: { $int64: "9007199254740993" } }], metadata: { "x-k": ["v"] }, hasDeadline: true, deadlineMs: { $gt: 0 }, cancelled: false } });
    const record = (requests: unknown[], metadata: Record<string, string[]>) => JSON.stringify({ requests, metadata });
    const good = { receivedJson: record([{ id: "9007199254740993", name: "" }], { "x-k": ["v"] }), hasDeadline: true, deadlineMs: "4990", cancelled: false };
    expect(judge(c, obs({ callReport: good }))).toEqual([]);
    const bad = { receivedJson: record([{ id: "9007199254740992" }, {}], { "x-k": ["w"] }), hasDeadline: false, deadlineMs: "0", cancelled: true };
    expect(judge(c, obs({ callReport: bad }))).toEqual([
      "received: expected 1 request(s), got 2",
      "received request[0].id: expected the int64 9007199254740993, got 9007199254740992",
      'received metadata x-k: expected ["v"], got ["w"]',
      "received: expected hasDeadline true, got false",
      "received deadlineMs: expected > 0, got 0",
      "received: expected cancelled false, got true",
    ]);
    expect(judge(c, obs({ callReport: { found: true, receivedJson: "" } }))[0]).toMatch(/no received requests .* is it a stub server/);
    expect(judge(c, obs({}))).toEqual(["call report: expected the server's report of the call, got none"]);
  });
});
