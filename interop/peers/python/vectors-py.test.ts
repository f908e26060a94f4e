// vectors.py speaks design §7 from the descriptor set alone: one line per vector, in order, with
// canonical JSON, the deterministic re-encoding and unknown field numbers, or an error; and the
// Python driver refuses to start without a contract, in one line.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, test } from "vitest";
import { ROOT, VENV_PYTHON } from "../../paths.js";
import { buildDescriptorSet } from "./test-support.js";

const VECTORS = [
  // payload 00 01 02, index -2^63 (ten-byte varint)
  { id: "int64-min", type: "interop.EchoRequest", hex: "0a030001023080808080808080808001" },
  // name "a", then field 99 (varint 1), which HelloRequest does not have
  { id: "unknown-field", type: "greeter.HelloRequest", hex: "0a0161980601" },
  { id: "nan", type: "greeter.StockReply", hex: "11000000000000f87f" },
  { id: "negative-zero", type: "greeter.StockReply", hex: "110000000000000080" },
  { id: "empty", type: "greeter.HelloRequest", hex: "" },
  { id: "cut", type: "greeter.HelloRequest", hex: "0aff" },
  { id: "no-such-type", type: "acme.Nope", hex: "" },
];

describe("vectors.py (design §7)", () => {
  let lines: Record<string, unknown>[];
  const dir = mkdtempSync(join(tmpdir(), "py-vectors-"));
  const script = resolve(ROOT, "interop/peers/python/vectors.py");

  beforeAll(async () => {
    const file = join(dir, "vectors.json");
    writeFileSync(file, JSON.stringify(VECTORS));
    const r = await execa(VENV_PYTHON, [script, "--descriptor-set", buildDescriptorSet(dir), "--vectors", file], { reject: false, timeout: 30_000 });
    expect(r.exitCode, String(r.stderr)).toBe(0);
    lines = String(r.stdout).trim().split("\n").map((l) => JSON.parse(l));
  }, 40_000);

  test("one line per vector, in order", () => {
    expect(lines.map((l) => l.id)).toEqual(VECTORS.map((v) => v.id));
  });

  test("canonical JSON: int64 as a string, bytes as base64, implicit fields present; the same bytes back", () => {
    expect(lines[0]).toEqual({
      id: "int64-min", json: { payload: "AAEC", index: "-9223372036854775808", responseSize: 0, headersFirst: false, sleepMs: 0, compressResponse: false, holdUntilHalfClose: false, statusDetails: false },
      hex: VECTORS[0].hex, unknown: [],
    });
    expect(lines[4]).toEqual({ id: "empty", json: { name: "" }, hex: "", unknown: [] });
  });

  test("an unknown field is kept on re-encode and reported by number", () => {
    expect(lines[1]).toEqual({ id: "unknown-field", json: { name: "a" }, hex: VECTORS[1].hex, unknown: [99] });
  });

  test("NaN as the string \"NaN\", -0.0 stays -0", () => {
    expect((lines[2].json as { price: unknown }).price).toBe("NaN");
    expect(Object.is((lines[3].json as { price: unknown }).price, -0)).toBe(true);
    expect(lines[3].hex).toBe(VECTORS[3].hex);
  });

  test("bytes that do not decode, and a type the contract lacks: an error line each", () => {
    expect(lines[5]).toEqual({ id: "cut", error: expect.stringMatching(/DecodeError/) });
    expect(lines[6]).toEqual({ id: "no-such-type", error: expect.stringMatching(/unknown message type 'acme\.Nope'/) });
  });

  test("the driver without a readable descriptor set: one error line naming it, exit 2", async () => {
    const missing = join(dir, "missing.binpb");
    const r = await execa(VENV_PYTHON, [resolve(ROOT, "interop/peers/python/client.py"), "--addr", "127.0.0.1:1", "--case-json", '{"name":"x","method":"greeter.Greeter/SayHello","requests":[{}]}'],
      { reject: false, timeout: 30_000, env: { INTEROP_DESCRIPTOR_SET: missing } });
    expect(r.exitCode).toBe(2);
    expect(String(r.stdout)).toBe("");
    expect(String(r.stderr).trim()).toMatch(new RegExp(`^python-client: cannot read the descriptor set ${missing}: No such file or directory`));
    expect(String(r.stderr).trim().split("\n")).toHaveLength(1);
  });
});
