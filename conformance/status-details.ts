// grpc-status-details-bin: a google.rpc.Status { int32 code = 1; string message = 2;
// repeated google.protobuf.Any details = 3; }. grpc-js neither writes nor parses it, so the
// adapters do, with the protobuf wire primitives ts-proto's generated code uses.
import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import { Any } from "../.build/conformance/gen/google/protobuf/any.js";

export const STATUS_DETAILS_KEY = "grpc-status-details-bin";

export interface RpcStatus {
  code: number;
  message: string;
  details: Any[];
}

export function encodeStatus(status: RpcStatus): Buffer {
  const w = new BinaryWriter();
  if (status.code !== 0) w.uint32(8).int32(status.code);
  if (status.message !== "") w.uint32(18).string(status.message);
  for (const d of status.details) Any.encode(d, w.uint32(26).fork()).join();
  return Buffer.from(w.finish());
}

export function decodeStatus(bytes: Uint8Array): RpcStatus {
  const r = new BinaryReader(bytes);
  const out: RpcStatus = { code: 0, message: "", details: [] };
  while (r.pos < r.len) {
    const tag = r.uint32();
    switch (tag) {
      case 8:
        out.code = r.int32();
        break;
      case 18:
        out.message = r.string();
        break;
      case 26:
        out.details.push(Any.decode(r, r.uint32()));
        break;
      default:
        r.skip(tag & 7);
    }
  }
  return out;
}
