// The runner's stdin/stdout protocol: every message is a 4-byte big-endian length, then that many
// bytes of protobuf. Shared by the server adapter (one request in, one response out) and the client
// adapter (a request per RPC until EOF, a response per RPC, in any order).
import type { Readable, Writable } from "node:stream";

/** Yields each size-delimited message of `input` until EOF; a truncated message at EOF is an error. */
export async function* readDelimited(input: Readable): AsyncGenerator<Uint8Array> {
  let buf = Buffer.alloc(0);
  for await (const chunk of input) {
    buf = Buffer.concat([buf, chunk as Buffer]);
    while (buf.length >= 4) {
      const size = buf.readUInt32BE(0);
      if (buf.length < 4 + size) break;
      yield new Uint8Array(buf.subarray(4, 4 + size));
      buf = buf.subarray(4 + size);
    }
  }
  if (buf.length > 0) throw new Error(`stdin ended inside a message (${buf.length} byte(s) left over)`);
}

/** One size-delimited message, written in a single call so concurrent writers never interleave. */
export function writeDelimited(output: Writable, message: Uint8Array): Promise<void> {
  const frame = Buffer.alloc(4 + message.length);
  frame.writeUInt32BE(message.length, 0);
  frame.set(message, 4);
  return new Promise((resolve, reject) => output.write(frame, (err) => (err ? reject(err) : resolve())));
}
