// Repeated metadata judged by the spec: ASCII values equal once split on "," and trimmed (a fold
// is a note, not a failure); -bin values compared exactly.
import { describe, expect, test } from "vitest";
import { judgeMetadata, splitAscii } from "./metadata-compare.js";

function run(want: Record<string, string[]>, got: Record<string, string[]>) {
  const out: string[] = [];
  const notes: string[] = [];
  judgeMetadata("header", want, got, out, notes);
  return { out, notes };
}

describe("repeated ASCII metadata", () => {
  test("the folded form passes, with a note naming the key and both forms", () => {
    expect(run({ "x-initial-a": ["a", "b"] }, { "x-initial-a": ["a, b"] })).toEqual({
      out: [],
      notes: ['header x-initial-a: arrived folded as ["a, b"], expected ["a","b"]: equal once split on "," (spec-permitted: HTTP/2 lets a receiver join repeated values)'],
    });
    expect(run({ "x-initial-a": ["a", "b", "c"] }, { "x-initial-a": ["a,b", " c "] }).out).toEqual([]);
  });
  test("separate values that match exactly carry no note", () => {
    expect(run({ "x-initial-a": ["a", "b"] }, { "x-initial-a": ["a", "b"] })).toEqual({ out: [], notes: [] });
  });
  test("a fold does not excuse a lost, extra or reordered value", () => {
    expect(run({ "x-a": ["a", "b"] }, { "x-a": ["a"] }).out).toEqual(['header x-a: expected ["a","b"], got ["a"]']);
    expect(run({ "x-a": ["a", "b"] }, { "x-a": ["a, b, c"] }).out).toEqual(['header x-a: expected ["a","b"], got ["a, b, c"]']);
    expect(run({ "x-a": ["a", "b"] }, { "x-a": ["b, a"] }).out).toEqual(['header x-a: expected ["a","b"], got ["b, a"]']);
    expect(run({ "x-a": ["a", "b"] }, {}).out).toEqual(['header x-a: expected ["a","b"], got nothing']);
  });
  test("[] means absent", () => {
    expect(run({ "x-a": [] }, {}).out).toEqual([]);
    expect(run({ "x-a": [] }, { "x-a": ["v"] }).out).toEqual(['header x-a: expected [], got ["v"]']);
  });
});

describe("-bin metadata", () => {
  test("is compared exactly: a joined form is a difference", () => {
    expect(run({ "x-d-bin": ["AAE=", "AQI="] }, { "x-d-bin": ["AAE=", "AQI="] })).toEqual({ out: [], notes: [] });
    expect(run({ "x-d-bin": ["AAE=", "AQI="] }, { "x-d-bin": ["AAE=,AQI="] }).out).toEqual(['header x-d-bin: expected ["AAE=","AQI="], got ["AAE=,AQI="]']);
  });
});

test("splitAscii", () => {
  expect(splitAscii(["a, b", "c", " d ,e"])).toEqual(["a", "b", "c", "d", "e"]);
});
