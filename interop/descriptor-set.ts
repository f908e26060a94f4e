// grpc-js services and stubs for the services of the contract's descriptor set (README: Any contract), for
// code that serves or calls a service no .proto in the repository defines: grpc.testing (grpc's
// interop service), whose descriptors come from grpc-go (go-descset, at set-up). Loaded with
// @grpc/proto-loader, once per descriptor set.
import { toBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { loadPackageDefinition, type GrpcObject } from "@grpc/grpc-js";
import { loadFileDescriptorSetFromBuffer } from "@grpc/proto-loader";
import { descriptorSetPath, readDescriptorSet } from "../ts-client/driver-kit/contract.js";

const objects = new Map<string, GrpcObject>();

/**
 * grpc-js service constructors and definitions for every service of the set (loadPackageDefinition).
 * Fields keep the descriptor's (snake_case) names, enums by name, bytes as Buffers, absent
 * scalars and repeated fields as their defaults, absent messages null.
 */
export function grpcObjects(path = descriptorSetPath()): GrpcObject {
  if (!objects.has(path)) {
    const set = readDescriptorSet(path);
    const definition = loadFileDescriptorSetFromBuffer(Buffer.from(toBinary(FileDescriptorSetSchema, set)), { longs: String, enums: String, defaults: true, oneofs: true });
    objects.set(path, loadPackageDefinition(definition));
  }
  return objects.get(path)!;
}
