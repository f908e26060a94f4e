// Pairs meet their cells in staggered orders (interop/session.ts, staggered): each pair still
// runs every one of its cells exactly once, and the pairs start at different places.
import { describe, expect, test } from "vitest";
import { staggered } from "./session.js";

describe("staggered", () => {
  const cells = Array.from({ length: 10 }, (_, i) => `case-${i}`);
  test("the first pair keeps the file order", () => {
    expect(staggered(cells, 0, 4)).toEqual(cells);
  });
  test("pair i of n starts i/n of the way through, wraps round, and keeps every cell once", () => {
    const orders = [0, 1, 2, 3].map((i) => staggered(cells, i, 4));
    expect(orders.map((o) => o[0])).toEqual(["case-0", "case-2", "case-5", "case-7"]);
    expect(orders[2]).toEqual(["case-5", "case-6", "case-7", "case-8", "case-9", "case-0", "case-1", "case-2", "case-3", "case-4"]);
    for (const o of orders) expect([...o].sort()).toEqual([...cells].sort());
  });
  test("one cell, or none, stays as it is", () => {
    expect(staggered(["only"], 3, 4)).toEqual(["only"]);
    expect(staggered([], 1, 2)).toEqual([]);
  });
});
