// Merging FileDescriptorSets: the `file` lists are concatenated and a file whose name is already
// present is skipped (buf's set and go-descset's may both carry a google/protobuf import).
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";

export function mergeDescriptorSets(sets: Uint8Array[]): Uint8Array {
  const files: FileDescriptorProto[] = [];
  const names = new Set<string>();
  for (const bytes of sets) {
    for (const file of fromBinary(FileDescriptorSetSchema, bytes).file) {
      if (names.has(file.name)) continue;
      names.add(file.name);
      files.push(file);
    }
  }
  return toBinary(FileDescriptorSetSchema, create(FileDescriptorSetSchema, { file: files }));
}
