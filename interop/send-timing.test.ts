// Each cause named where it lies: client pacing from the client's own send times, and ping-pong
// checked reply by reply (interop/send-timing.ts, through the comparator).
import { describe, expect, test } from "vitest";
import { judge } from "./comparator.js";
import type { Event, Observation } from "./contract.js";
import type { CaseDef } from "./fixtures.js";

const at = (...times: number[]): Event[] => times.map((atMs) => ({ atMs }));
const chat = (expect: Partial<CaseDef["expect"]> = {}): CaseDef => ({
  name: "bidi", method: "greeter.Greeter/Chat", requests: [{}, {}, {}], sendIntervalMs: 60, category: "core", file: "f",
  expect: { status: "OK", replyBeforeHalfClose: true, pingPong: true, ...expect },
});
const obs = (over: Partial<Observation>): Observation => ({
  client: "ts", case: "bidi", method: "greeter.Greeter/Chat", status: { code: 0, message: "" }, sent: at(0, 60, 120), halfCloseAtMs: 180,
  responses: at(5, 65, 125), headers: {}, trailers: {}, durationMs: 200, ...over,
});

describe("client pacing", () => {
  test("a client that paced its requests and got each reply in turn passes", () => {
    expect(judge(chat(), obs({}))).toEqual([]);
  });
  test("a client that does not wait between sends is blamed, not the server", () => {
    const diffs = judge(chat(), obs({ sent: at(0, 0.2, 0.3), halfCloseAtMs: 0.4, responses: at(2, 3, 4) }));
    expect(diffs).toEqual([
      "client: sent request[1] 0.2 ms after request[0], expected a pause of 60 ms (sendIntervalMs): the client did not wait between sends",
      "interleaving: not judged: the client did not send its requests as the case asks (see the client: line), so the server's timing cannot be told",
    ]);
    expect(diffs.join("\n")).not.toMatch(/server held/);
  });
  test("a client that half-closes right after its last request is blamed", () => {
    expect(judge(chat(), obs({ halfCloseAtMs: 121 }))[0]).toMatch(/^client: half-closed 1\.0 ms after its last request, expected a pause of 60 ms/);
  });
  test("a client that drops a request is named", () => {
    expect(judge(chat({ replyBeforeHalfClose: false, pingPong: false }), obs({ sent: at(0, 60), responses: at(5, 65), halfCloseAtMs: 120 }))).toEqual([
      "client: sent 2 of the case's 3 requests before it half-closed (a client that drops requests, or a call the server ended early)",
    ]);
  });
  test("late timers are not a client problem (gaps only grow under load)", () => {
    expect(judge(chat({ pingPong: false }), obs({ sent: at(0, 95, 230), halfCloseAtMs: 400, responses: at(3, 99, 240) }))).toEqual([]);
  });
  test("cancelled and concurrent cases send as they must", () => {
    const c = { ...chat({ replyBeforeHalfClose: false, pingPong: false }), cancelAfterMs: 50 };
    expect(judge(c, obs({ sent: at(0), halfCloseAtMs: null, responses: [] }))).toEqual([]);
  });
});

describe("sendOnReply: the pause ends when the reply is in", () => {
  const pingPong = { ...chat(), sendOnReply: true };
  test("a client that sent each request right after the reply before it passes", () => {
    expect(judge(pingPong, obs({ sent: at(0, 2.1, 4.2), responses: at(2, 4, 6), halfCloseAtMs: 6.3 }))).toEqual([]);
  });
  test("a client that did not wait for the reply is blamed, named with the reply it should have waited for", () => {
    expect(judge(pingPong, obs({ sent: at(0, 0.5, 4.2), responses: at(2, 4, 6), halfCloseAtMs: 6.3 }))[0]).toBe(
      "client: sent request[1] 0.5 ms after request[0], expected a pause of 60 ms (sendIntervalMs), or reply[0] before it (sendOnReply): the client did not wait between sends",
    );
  });
  test("a client that half-closed before the last reply is blamed", () => {
    expect(judge(pingPong, obs({ sent: at(0, 2.1, 4.2), responses: at(2, 4, 6), halfCloseAtMs: 5 }))[0]).toMatch(
      /^client: half-closed 0\.8 ms after its last request, expected a pause of 60 ms \(sendIntervalMs\), or reply\[2\] before it \(sendOnReply\)/,
    );
  });
  test("a server that holds a reply still fails ping-pong: the client waited the whole interval", () => {
    expect(judge(pingPong, obs({ sent: at(0, 2.1, 62.2), responses: at(2, 63, 64), halfCloseAtMs: 122.3 }))).toEqual([
      "ping-pong: expected each reply before the client's next request: reply[1] arrived at 63.0 ms, after the client sent request[2] at 62.2 ms: the server held its replies or answered one behind",
    ]);
  });
  test("without sendOnReply the same quick sends are a client problem", () => {
    expect(judge(chat(), obs({ sent: at(0, 2.1, 4.2), responses: at(2, 4, 6), halfCloseAtMs: 6.3 }))[0]).toMatch(/^client: sent request\[1\] 2\.1 ms after request\[0\], expected a pause of 60 ms \(sendIntervalMs\): /);
  });
});

describe("interleaving", () => {
  test("a server that holds its replies until the half-close is blamed when the client paced", () => {
    const diffs = judge(chat(), obs({ responses: at(181, 182, 183) }));
    expect(diffs[0]).toMatch(/^interleaving: expected the first reply before the client half-closed at 180\.0 ms, got it at 181\.0 ms: the server held its replies/);
    expect(diffs[1]).toMatch(/^ping-pong: expected each reply before the client's next request: reply\[0\] arrived at 181\.0 ms, after the client sent request\[1\] at 60\.0 ms \(and 2 more late replies\)/);
  });
  test("ping-pong checks EVERY reply: one held past the next request fails though the first was on time", () => {
    const diffs = judge(chat(), obs({ responses: at(5, 125.5, 126) }));
    expect(diffs).toEqual([
      "ping-pong: expected each reply before the client's next request: reply[1] arrived at 125.5 ms, after the client sent request[2] at 120.0 ms: the server held its replies or answered one behind",
    ]);
  });
  test("the last reply must come before the half-close", () => {
    expect(judge(chat(), obs({ responses: at(5, 65, 181) }))[0]).toMatch(/reply\[2\] arrived at 181\.0 ms, after the client half-closed at 180\.0 ms/);
  });
  test("without pingPong, only the first reply is checked against the half-close", () => {
    expect(judge(chat({ pingPong: false }), obs({ responses: at(5, 170, 175) }))).toEqual([]);
  });
  test("a client that never half-closes", () => {
    expect(judge(chat(), obs({ halfCloseAtMs: null }))).toEqual(["interleaving: expected the client to half-close, but it never did"]);
  });
});

describe("half-duplex", () => {
  const halfDuplex = chat({ replyBeforeHalfClose: undefined, pingPong: undefined, repliesAfterHalfClose: true });
  test("every reply after the half-close passes", () => {
    expect(judge(halfDuplex, obs({ responses: at(185, 186, 187) }))).toEqual([]);
  });
  test("a server that answers before the half-close is named", () => {
    expect(judge(halfDuplex, obs({ responses: at(5, 186, 187) }))).toEqual([
      "half-duplex: expected every reply after the client half-closed at 180.0 ms, got reply[0] at 5.0 ms: the server did not hold its replies",
    ]);
  });
});
