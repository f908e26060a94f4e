// The contract as data: methods and message types read at run time from the descriptor set
// (scripts/prepare.ts builds it), so no generated module is needed to find a method or to read
// and write its messages. The harness plans and validates cases with it; drivers convert with it.
import { readFileSync } from "node:fs";
import { createFileRegistry, fromBinary, toJson, type DescMessage, type FileRegistry, type Message } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema, type FileDescriptorSet } from "@bufbuild/protobuf/wkt";
import { patternOf, type Pattern } from "../../interop/contract.js";
import { DESCRIPTOR_SET } from "../../interop/paths.js";

export interface ContractMethod {
  /** "package.Service/Method" */
  fullName: string;
  /** "package.Service" */
  service: string;
  pattern: Pattern;
  input: DescMessage;
  output: DescMessage;
}

export interface Contract {
  /** The descriptor set's file. */
  path: string;
  registry: FileRegistry;
  methods: Map<string, ContractMethod>;
}

/** Where the descriptor set is: the flag, else INTEROP_DESCRIPTOR_SET, else the repository's build. */
export function descriptorSetPath(flag?: string): string {
  return flag || process.env.INTEROP_DESCRIPTOR_SET || DESCRIPTOR_SET;
}

/** The descriptor set at path, each file once (a merged set may repeat a file: the first one wins). */
export function readDescriptorSet(path = descriptorSetPath()): FileDescriptorSet {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`cannot read the descriptor set ${path} (${(e as NodeJS.ErrnoException).code}): run \`npm run gen\` to build it`);
  }
  const set = fromBinary(FileDescriptorSetSchema, bytes);
  const seen = new Set<string>();
  set.file = set.file.filter((f) => !seen.has(f.name) && Boolean(seen.add(f.name)));
  return set;
}

export function loadContract(path = descriptorSetPath()): Contract {
  const registry = createFileRegistry(readDescriptorSet(path));
  const methods = new Map<string, ContractMethod>();
  for (const service of registry) {
    if (service.kind !== "service") continue;
    for (const m of service.methods) {
      const fullName = `${service.typeName}/${m.name}`;
      methods.set(fullName, {
        fullName, service: service.typeName, pattern: patternOf(m.methodKind === "client_streaming" || m.methodKind === "bidi_streaming", m.methodKind === "server_streaming" || m.methodKind === "bidi_streaming"),
        input: m.input, output: m.output,
      });
    }
  }
  return { path, registry, methods };
}

/**
 * Canonical proto3 JSON (README: Adding a case): implicit fields emitted even when default, enums by name,
 * 64-bit integers as strings, bytes as base64; Any resolved through the contract's registry.
 */
export function canonicalJson(contract: Contract, schema: DescMessage, message: Message): unknown {
  return toJson(schema, message, { alwaysEmitImplicit: true, registry: contract.registry });
}

/** JSON.stringify, except that -0 is written "-0" (JSON.stringify writes "0", losing it). */
export function stringifyJson(value: unknown): string {
  if (typeof value === "number" && Object.is(value, -0)) return "-0";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : stringifyJson(v))).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const parts = Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => `${JSON.stringify(k)}:${stringifyJson(v)}`);
    return `{${parts.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
