// Server reflection for the TS server, serving compiled descriptors that every language can build.
//
// @grpc/reflection serves what @grpc/proto-loader gives it, and protobufjs re-creates those
// descriptors with map entries misnamed ("Statuses" instead of "StatusesEntry"), which Go's
// protodesc rejects (grpcurl: "HealthListResponse.statuses is an invalid map: incorrect implicit
// map entry name"). So it is fed the contract's FileDescriptorSet instead (design: one descriptor
// set, $INTEROP_DESCRIPTOR_SET or .build/contract/descriptors.binpb); until that file exists,
// proto-loader's descriptors with their map entries renamed the way protoc names them.
// It lists only the services this server really serves (not interop.UnimplementedService).
import { existsSync, readFileSync } from "node:fs";
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema, type DescriptorProto, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import type { PackageDefinition } from "@grpc/proto-loader";
import { ReflectionService } from "@grpc/reflection";
import { DESCRIPTOR_SET } from "../interop/paths.js";

export const DEFAULT_DESCRIPTOR_SET = DESCRIPTOR_SET;

/** protoc's name for a map field's entry type: "statuses" -> "StatusesEntry", "foo_bar" -> "FooBarEntry". */
const entryName = (field: string) => field.split("_").map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join("") + "Entry";

/** Renames protobufjs's map entry types (and the fields' references) to protoc's names. */
function fixMapEntries(msg: DescriptorProto, scope: string) {
  for (const field of msg.field) {
    const entry = msg.nestedType.find((n) => n.options?.mapEntry && field.typeName.replace(/^\./, "").split(".").pop() === n.name);
    if (!entry || entry.name === entryName(field.name)) continue;
    entry.name = entryName(field.name);
    field.typeName = `.${scope}.${msg.name}.${entry.name}`;
  }
  for (const nested of msg.nestedType) fixMapEntries(nested, `${scope}.${msg.name}`);
}

function filesFrom(descriptorSet: string | undefined, fallback: () => PackageDefinition): Uint8Array[] {
  if (descriptorSet && existsSync(descriptorSet)) {
    return fromBinary(FileDescriptorSetSchema, readFileSync(descriptorSet)).file.map((f: FileDescriptorProto) => toBinary(FileDescriptorProtoSchema, f));
  }
  const seen = new Map<string, Uint8Array>();
  for (const def of Object.values(fallback())) {
    for (const bytes of (def as { fileDescriptorProtos?: Buffer[] }).fileDescriptorProtos ?? []) {
      const file = fromBinary(FileDescriptorProtoSchema, bytes);
      if (seen.has(file.name)) continue;
      for (const msg of file.messageType) fixMapEntries(msg, file.package);
      seen.set(file.name, toBinary(FileDescriptorProtoSchema, file));
    }
  }
  return [...seen.values()];
}

/**
 * Reflection over exactly `services` (plus reflection itself), from the descriptor set when there
 * is one, else from proto-loader's definitions with the map entries repaired.
 */
export function reflectionService(services: string[], fallback: () => PackageDefinition, descriptorSet = process.env.INTEROP_DESCRIPTOR_SET || DEFAULT_DESCRIPTOR_SET): ReflectionService {
  const files = filesFrom(descriptorSet, fallback).map((b) => Buffer.from(b));
  const definition = { contract: { fileDescriptorProtos: files } } as unknown as PackageDefinition;
  return new ReflectionService(definition, { services: [...services, "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"] });
}
