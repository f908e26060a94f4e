// Generated vectors cover every message type, repeat by seed, and the cross-language comparison
// names each difference; known differences only excuse the exact difference they pin.
import { fromBinary } from "@bufbuild/protobuf";
import { execa } from "execa";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { describe, expect, test } from "vitest";
import { loadContract } from "../../ts-client/driver-kit/contract.js";
import { ROOT } from "../paths.js";
import { applyKnown, compareAll } from "./cross-check.js";
import { generateVectors } from "./generate.js";

const contract = loadContract();

describe("generated vectors", () => {
  test("every message type of the contract, seeded: the same seed repeats, another differs", () => {
    const vectors = generateVectors(contract, 1);
    const types = [...contract.registry].filter((t) => t.kind === "message" && !t.proto.options?.mapEntry).map((t) => t.typeName);
    expect(new Set(vectors.map((v) => v.type))).toEqual(new Set(types));
    expect(types).toContain("acme.catalog.v1.Product");
    expect(types).toContain("grpc.testing.SimpleRequest");
    expect(generateVectors(contract, 1)).toEqual(vectors);
    expect(generateVectors(contract, 2)).not.toEqual(vectors);
  });

  test("edge values reach the wire: int64 beyond 2^53, NaN, non-BMP strings, unknown enum numbers", () => {
    const product = contract.registry.getMessage("acme.catalog.v1.Product")!;
    const decoded = generateVectors(contract, 1).filter((v) => v.type === product.typeName).map((v) => fromBinary(product, Buffer.from(v.hex, "hex")));
    const all = JSON.stringify(decoded, (_k, v) => (typeof v === "bigint" ? `${v}n` : typeof v === "number" && Number.isNaN(v) ? "NaN!" : v));
    expect(all).toMatch(/"(9223372036854775807|-9223372036854775808|9007199254740993|18446744073709551615)n"/);
    expect(all).toContain("𝄞");
    expect(decoded.some((p) => (p as unknown as { variants: unknown[] }).variants.length > 0)).toBe(true);
  });
});

describe("cross-language comparison", () => {
  const v = { id: "greeter.HelloRequest#edges-0", type: "greeter.HelloRequest", hex: "0a0161" };
  const line = (over: object) => new Map([[v.id, { id: v.id, json: { name: "a" }, hex: "0a0161", unknown: [], ...over }]]);

  test("agreeing legs give no difference; each kind of difference is named", () => {
    const go = line({});
    expect(compareAll([v], { go, python: line({}), ts: line({ tsProto: { json: { name: "a" }, hex: "0a0161" } }) }, new Set())).toEqual([]);
    const diffs = compareAll([v], { go, python: line({ json: { name: "b" } }), ts: line({ error: "premature EOF" }) }, new Set());
    expect(diffs).toEqual([
      { vector: v.id, language: "python", what: 'json .name: "b" (go: "a")' },
      { vector: v.id, language: "ts", what: "error: premature EOF (go decodes it)" },
    ]);
    // Dropped unknown fields and field order are told apart from other byte differences.
    const withUnknown = new Map([[v.id, { id: v.id, json: { name: "a" }, hex: "0a0161c83e9601", unknown: [1001] }]]);
    const dropped = compareAll([v], { go: withUnknown, python: withUnknown, ts: new Map([[v.id, { ...withUnknown.get(v.id)!, tsProto: { json: { name: "a" }, hex: "0a0161" } }]]) }, new Set());
    expect(dropped).toEqual([{ vector: v.id, language: "ts-proto", what: "dropped unknown field(s) [1001] on re-encode" }]);
    const two = new Map([[v.id, { id: v.id, json: {}, hex: "08011002", unknown: [] }]]);
    const swapped = new Map([[v.id, { id: v.id, json: {}, hex: "10020801", unknown: [] }]]);
    expect(compareAll([v], { go: two, python: swapped, ts: two }, new Set())).toEqual([{ vector: v.id, language: "python", what: "field order on the wire: 2,1 (go: 1,2)" }]);
    // A program that did not run fails every leg it feeds.
    expect(compareAll([v], { go, python: new Error("the python vectors program failed: boom"), ts: line({}) }, new Set())).toEqual([{ vector: "*", language: "python", what: "the python vectors program failed: boom" }]);
  });

  test("a known difference excuses only the difference it pins; an entry that matches nothing is stale", () => {
    const diffs = [
      { vector: "a.B#edges-0", language: "ts-proto", what: "json .x: 0 (go: -0)" },
      { vector: "a.B#edges-1", language: "ts-proto", what: "json .x: 1 (go: 2)" },
    ];
    const known = [
      { language: "ts-proto", vector: "*", difference: "^json \\S+: 0 \\(go: -0\\)$", reason: "-0" },
      { language: "python", vector: "*", difference: "anything", reason: "gone" },
    ];
    const r = applyKnown(diffs, known);
    expect(r.accepted.map((a) => a.vector)).toEqual(["a.B#edges-0"]);
    expect(r.failures.map((f) => f.vector)).toEqual(["a.B#edges-1"]);
    expect(r.stale.map((s) => s.reason)).toEqual(["gone"]);
  });

  test("the TS program: dynamic decoding, unknown fields, bad bytes, and the ts-proto leg", async () => {
    const file = join(tmpdir(), `ts-vectors-${process.pid}.json`);
    writeFileSync(file, JSON.stringify([{ id: "a", type: "greeter.HelloRequest", hex: "0a0161c83e9601" }, { id: "b", type: "greeter.HelloRequest", hex: "0a05" }, { id: "c", type: "no.Such", hex: "" }]));
    const r = await execa(process.execPath, ["--import", "tsx", join(ROOT, "ts-client/vectors.ts"), "--vectors", file], { cwd: ROOT });
    const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ id: "a", json: { name: "a" }, hex: "0a0161c83e9601", unknown: [1001], tsProto: { json: { name: "a" }, hex: "0a0161" } });
    expect(lines[1]).toMatchObject({ id: "b", error: expect.stringMatching(/premature EOF/) });
    expect(lines[2]).toEqual({ id: "c", error: "no message no.Such in the descriptor set" });
  }, 30_000);
});
