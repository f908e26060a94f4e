// The golden vectors with the project's own build: every language agrees byte for byte with
// the golden bytes, and the only accepted difference is the listed one (ts-proto drops unknown
// fields), shown for exactly the vectors that carry unknown fields.
import { expect, test } from "vitest";
import { checkVectors, loadVectors } from "./vectors.js";

test("golden vectors round-trip byte for byte in ts, go and python", async () => {
  const outcomes = await checkVectors();
  const vectors = loadVectors().flatMap((f) => f.vectors);
  expect(outcomes).toHaveLength(vectors.length * 3);
  expect(outcomes.filter((o) => o.status === "failed" || o.status === "skipped")).toEqual([]);
  const withUnknown = vectors.filter((v) => v.unknownFields?.length).map((v) => v.name);
  expect(withUnknown.length).toBeGreaterThan(0);
  const known = outcomes.filter((o) => o.status === "known-difference");
  expect(known.map((o) => `${o.language} ${o.vector}`)).toEqual(withUnknown.map((n) => `ts ${n}`));
  for (const o of known) expect(o.detail).toMatch(/^dropped unknown field\(s\) [\d, ]+ on re-encode$/);
}, 60_000);
