// The contract's descriptor set, read at run time (design §1): where it is, its files (a merged
// set may hold a file twice: the first one wins), and what grpc-js needs to serve or call a
// service found in it (@grpc/proto-loader). No .proto of grpc.testing is in the repository: its
// descriptors come from grpc-go (go-descset, at set-up).
import { existsSync, readFileSync } from "node:fs";
import { createFileRegistry, fromBinary, toBinary, type FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema, type FileDescriptorSet } from "@bufbuild/protobuf/wkt";
import { loadPackageDefinition, type GrpcObject } from "@grpc/grpc-js";
import { loadFileDescriptorSetFromBuffer } from "@grpc/proto-loader";
import { patternOf, type Pattern } from "./contract.js";
import { UsageError } from "./errors.js";
import { DESCRIPTOR_SET, GRPC_DESCRIPTOR_SET } from "./paths.js";

/** --descriptor-set wins, then INTEROP_DESCRIPTOR_SET, then the merged contract, then grpc-go's part of it. */
export function descriptorSetPath(flag?: string): string {
  const chosen = flag || process.env.INTEROP_DESCRIPTOR_SET;
  if (chosen) return chosen;
  return existsSync(DESCRIPTOR_SET) ? DESCRIPTOR_SET : GRPC_DESCRIPTOR_SET;
}

const cache = new Map<string, FileDescriptorSet>();

/** The set's files, each name once. */
export function readDescriptorSet(path = descriptorSetPath()): FileDescriptorSet {
  const cached = cache.get(path);
  if (cached) return cached;
  if (!existsSync(path)) throw new UsageError(`no descriptor set at ${path}: run \`npm run interop\` (its set-up writes it) or pass --descriptor-set FILE`);
  const set = fromBinary(FileDescriptorSetSchema, readFileSync(path));
  const seen = new Set<string>();
  set.file = set.file.filter((f) => !seen.has(f.name) && Boolean(seen.add(f.name)));
  cache.set(path, set);
  return set;
}

const registries = new Map<string, FileRegistry>();

export function descriptorRegistry(path = descriptorSetPath()): FileRegistry {
  if (!registries.has(path)) registries.set(path, createFileRegistry(readDescriptorSet(path)));
  return registries.get(path)!;
}

/** "package.Service/Method" -> its pattern, or undefined if the set has no such method. */
export function methodPattern(fullName: string, registry: FileRegistry = descriptorRegistry()): Pattern | undefined {
  const [service, method] = fullName.split("/");
  const m = registry.getService(service)?.methods.find((x) => x.name === method);
  if (!m) return undefined;
  return patternOf(m.methodKind === "client_streaming" || m.methodKind === "bidi_streaming", m.methodKind === "server_streaming" || m.methodKind === "bidi_streaming");
}

/**
 * grpc-js service constructors and definitions for every service of the set (loadPackageDefinition).
 * Fields keep the descriptor's (snake_case) names, enums by name, bytes as Buffers, absent
 * scalars and repeated fields as their defaults, absent messages null.
 */
const objects = new Map<string, GrpcObject>();

export function grpcObjects(path = descriptorSetPath()): GrpcObject {
  if (!objects.has(path)) {
    const bytes = toBinary(FileDescriptorSetSchema, readDescriptorSet(path));
    objects.set(path, loadPackageDefinition(loadFileDescriptorSetFromBuffer(Buffer.from(bytes), { longs: String, enums: String, defaults: true, oneofs: true })));
  }
  return objects.get(path)!;
}
