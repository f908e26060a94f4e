// The wire tap reads each gRPC message's compressed flag from the 5-byte prefix, however the
// bytes are split into DATA frames.
import { describe, expect, test } from "vitest";
import { MessageFlags } from "./wire-tap.js";

const frame = (compressed: boolean, body: Buffer) => {
  const head = Buffer.alloc(5);
  head[0] = compressed ? 1 : 0;
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
};

describe("MessageFlags", () => {
  test("reads every message's flag, in order, across any chunking", () => {
    const bytes = Buffer.concat([frame(true, Buffer.alloc(300, 7)), frame(false, Buffer.alloc(0)), frame(true, Buffer.from("x"))]);
    for (const size of [1, 2, 5, 6, 64, bytes.length]) {
      const flags: boolean[] = [];
      const reader = new MessageFlags((c) => flags.push(c));
      for (let i = 0; i < bytes.length; i += size) reader.push(bytes.subarray(i, i + size));
      expect(flags, `chunks of ${size}`).toEqual([true, false, true]);
    }
  });

  test("a message not yet complete is not counted", () => {
    const flags: boolean[] = [];
    const reader = new MessageFlags((c) => flags.push(c));
    reader.push(frame(true, Buffer.alloc(10)).subarray(0, 12));
    expect(flags).toEqual([]);
  });
});
