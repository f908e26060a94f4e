// A driver line of the wrong shape fails its cell naming what is off, never "[object Object]".
import { describe, expect, test } from "vitest";
import { observationProblems } from "./observation-check.js";

const good = { client: "ts", case: "c", method: "m", status: { code: 0, message: "" }, sent: [{ atMs: 1 }], halfCloseAtMs: 1, responses: [{ atMs: 2, message: {} }], headers: { "x-a": ["1"] }, trailers: {}, durationMs: 3 };

describe("observationProblems", () => {
  test("a well-formed observation has none", () => {
    expect(observationProblems(good)).toEqual([]);
    expect(observationProblems({ ...good, halfCloseAtMs: null })).toEqual([]);
  });
  test("each misfit is named with the value it has", () => {
    expect(observationProblems({ ...good, status: { code: { name: "OK" }, message: 5 } })).toEqual([
      'status.code is {"name":"OK"} (expected a status code number)',
      "status.message is 5 (expected a string)",
    ]);
    expect(observationProblems({ ...good, responses: [{ atMs: "12" }], sent: undefined })).toEqual([
      "sent is undefined (expected an array of events)",
      'responses[0].atMs is "12" (expected a number of ms)',
    ]);
    expect(observationProblems({ ...good, headers: { "x-a": [{ v: 1 }] }, trailers: [] })).toEqual([
      'headers["x-a"] is [{"v":1}] (expected a list of strings)',
      "trailers is [] (expected an object of string lists)",
    ]);
    expect(observationProblems([1])).toEqual(["the line is [1] (expected an object)"]);
  });
  test("a driver's error observation is a string, and then nothing else is required", () => {
    expect(observationProblems({ error: "case x: unknown field foo", status: { code: 2, message: "" } })).toEqual([]);
    expect(observationProblems({ error: { what: "x" } })).toEqual(['error is {"what":"x"} (expected a string saying what is wrong)']);
  });
  test("no message reads [object Object]", () => {
    const weird = { status: { code: {} }, sent: {}, responses: [{}], halfCloseAtMs: {}, headers: { a: {} }, trailers: null };
    for (const p of observationProblems(weird)) expect(p).not.toContain("[object Object]");
  });
});
