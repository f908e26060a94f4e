// The suite's Header messages <-> grpc-js Metadata. In the suite a "-bin" header's values are
// base64 (unpadded, as connect-go writes them; padded is accepted too); grpc-js wants raw bytes.
import { Metadata } from "@grpc/grpc-js";
import type { Header } from "../.build/conformance/gen/connectrpc/conformance/v1/service.js";

const isBinary = (key: string) => key.toLowerCase().endsWith("-bin");

export function encodeBinaryHeader(value: Buffer): string {
  return value.toString("base64").replace(/=+$/, "");
}

/** Adds every value of `headers` to `md` (created if not given), in order. */
export function toMetadata(headers: Header[], md = new Metadata()): Metadata {
  for (const { name, value } of headers) {
    const key = name.toLowerCase();
    for (const v of value) md.add(key, isBinary(key) ? Buffer.from(v, "base64") : v);
  }
  return md;
}

/** Every key and value of `md`; `skip` drops keys (e.g. the status details the adapter reads itself). */
export function fromMetadata(md: Metadata | undefined, skip: (key: string) => boolean = () => false): Header[] {
  if (!md) return [];
  const out: Header[] = [];
  for (const key of Object.keys(md.getMap())) {
    if (skip(key)) continue;
    const value = md.get(key).map((v) => (Buffer.isBuffer(v) ? encodeBinaryHeader(v) : String(v)));
    out.push({ name: key, value });
  }
  return out;
}
