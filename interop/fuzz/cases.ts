// The `fuzz` category, generated from the contract: every integer field of every request message
// of the services below (nested messages included), on every method, at -1, 0, the type's minimum
// and maximum, one field at a time. The expected status follows the request rules written in
// proto/interop_test.proto; a field without a rule must be accepted (and an echoed int64 index
// must come back exactly). `npm run fuzz-cases` rewrites fixtures/cases/fuzz.json; fuzz.test.ts
// checks the committed file is what this produces.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { createFileRegistry, fromBinary, ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { ROOT } from "../paths.js";

export const FUZZ_SERVICES = ["interop.InteropTest", "userservice.UserService", "greeter.Greeter"];

/** proto/interop_test.proto "Request rules": the accepted range of each checked field, by method. */
const MAX_SIZE = 16 * 1024 * 1024;
const MAX_MS = 60_000;
const RULES: Record<string, Record<string, [number, number]>> = {
  "interop.InteropTest/Echo": { response_size: [0, MAX_SIZE], sleep_ms: [0, MAX_MS], "response_status.code": [0, 16] },
  "interop.InteropTest/FullDuplex": { response_size: [0, MAX_SIZE], sleep_ms: [0, MAX_MS], "response_status.code": [0, 16] },
  "interop.InteropTest/StreamOutput": { response_count: [0, 100_000], response_size: [0, MAX_SIZE], interval_ms: [0, MAX_MS], initial_delay_ms: [0, MAX_MS], "response_status.code": [0, 16] },
  "interop.InteropTest/StreamInput": { sleep_ms: [0, MAX_MS], "response_status.code": [0, 16] },
  "interop.InteropTest/GetCallReport": { wait_ms: [0, MAX_MS] },
  "userservice.UserService/ListUsers": { page_size: [0, 2 ** 31 - 1] },
};

/**
 * The request each fuzzed field is set in: valid values in the other fields, so the fuzzed one is
 * really used (a negative response_size only bites when there is a response to size).
 */
const BASE: Record<string, Record<string, unknown>> = {
  "interop.InteropTest/Echo": { responseSize: 1 },
  "interop.InteropTest/FullDuplex": { responseSize: 1 },
  "interop.InteropTest/StreamOutput": { responseCount: 1, responseSize: 1 },
  "interop.InteropTest/GetCallReport": { tag: "fuzz" },
  "userservice.UserService/Chat": { userId: "fuzz", text: "hello" },
};

const INT32 = [ScalarType.INT32, ScalarType.SINT32, ScalarType.SFIXED32];
const UINT32 = [ScalarType.UINT32, ScalarType.FIXED32];
const INT64 = [ScalarType.INT64, ScalarType.SINT64, ScalarType.SFIXED64];
const UINT64 = [ScalarType.UINT64, ScalarType.FIXED64];

/** -1, 0, min, max of an integer type (64-bit ones as decimal strings, as proto3 JSON writes them). */
function valuesOf(t: ScalarType): { label: string; value: number | string }[] | undefined {
  if (INT32.includes(t)) return [{ label: "neg1", value: -1 }, { label: "zero", value: 0 }, { label: "min", value: -(2 ** 31) }, { label: "max", value: 2 ** 31 - 1 }];
  if (UINT32.includes(t)) return [{ label: "zero", value: 0 }, { label: "max", value: 2 ** 32 - 1 }];
  if (INT64.includes(t)) return [{ label: "neg1", value: "-1" }, { label: "zero", value: "0" }, { label: "min", value: "-9223372036854775808" }, { label: "max", value: "9223372036854775807" }];
  if (UINT64.includes(t)) return [{ label: "zero", value: "0" }, { label: "max", value: "18446744073709551615" }];
  return undefined;
}

interface IntField {
  path: string[]; // proto names, e.g. ["response_status", "code"]
  json: string[]; // JSON names
  type: ScalarType;
}

function intFields(msg: DescMessage, prefix: IntField | undefined = undefined, depth = 0): IntField[] {
  const out: IntField[] = [];
  for (const f of msg.fields as DescField[]) {
    const path = [...(prefix?.path ?? []), f.name];
    const json = [...(prefix?.json ?? []), f.jsonName];
    if (f.fieldKind === "scalar" && valuesOf(f.scalar)) out.push({ path, json, type: f.scalar });
    else if (f.fieldKind === "message" && depth < 3) out.push(...intFields(f.message, { path, json, type: ScalarType.INT32 }, depth + 1));
  }
  return out;
}

function setPath(json: string[], value: unknown): Record<string, unknown> {
  return json.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

const kebab = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, "$1-$2").replace(/_/g, "-").toLowerCase();

export function fuzzCases(descriptorSet: Uint8Array): unknown[] {
  const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, descriptorSet));
  const cases: unknown[] = [];
  for (const serviceName of FUZZ_SERVICES) {
    const service = registry.getService(serviceName);
    if (!service) throw new Error(`fuzz: the contract has no service ${serviceName}`);
    for (const method of service.methods) {
      const full = `${serviceName}/${method.name}`;
      const rules = RULES[full] ?? {};
      for (const field of intFields(method.input)) {
        for (const { label, value } of valuesOf(field.type)!) {
          const key = field.path.join(".");
          const range = rules[key];
          const n = Number(value);
          const bad = range !== undefined && (n < range[0] || n > range[1]);
          const expect: Record<string, unknown> = bad
            ? { status: { code: "INVALID_ARGUMENT", message: `${key} ${value} is out of range [${range[0]}, ${range[1]}]` } }
            : { status: "OK" };
          // An echoed index must come back exactly (int64 beyond 2^53 included).
          if (!bad && key === "index" && method.methodKind === "unary") expect.responses = [{ index: value }];
          cases.push({
            name: `fuzz-${kebab(serviceName.split(".")[1])}-${kebab(method.name)}-${kebab(key.replace(/\./g, "-"))}-${label}`,
            method: full,
            requests: [{ ...BASE[full], ...setPath(field.json, value) }],
            timeoutMs: 5000,
            // guide 002's UserService sits behind its bearer-token interceptor
            ...(serviceName === "userservice.UserService" ? { metadata: { authorization: ["Bearer secret-token-123"] } } : {}),
            expect,
          });
        }
      }
    }
  }
  return cases;
}

/** The contract's descriptor set, from `buf build` of proto/ (the protos the servers are built from). */
export function contractDescriptors(): Uint8Array {
  return execFileSync(join(ROOT, "node_modules", ".bin", "buf"), ["build", "proto", "-o", "-"], { cwd: ROOT, maxBuffer: 64 << 20 });
}

export const FUZZ_FILE = join(ROOT, "fixtures", "cases", "fuzz.json");

export function fuzzFixture(): string {
  const doc = {
    $comment:
      "GENERATED by `npm run fuzz-cases` (interop/fuzz/cases.ts) from proto/: every integer field of every request of the listed services at -1, 0, min and max, in an otherwise valid request. Out-of-range values must give INVALID_ARGUMENT naming the field (proto/interop_test.proto, Request rules); the server must keep serving. A server that dies fails this cell and every later one on it.",
    category: "fuzz",
    cases: [
      ...fuzzCases(contractDescriptors()),
      {
        name: "fuzz-interop-test-stream-output-too-many-bytes",
        method: "interop.InteropTest/StreamOutput",
        requests: [{ responseCount: 100000, responseSize: MAX_SIZE }],
        timeoutMs: 5000,
        expect: { status: { code: "INVALID_ARGUMENT", message: `response_count * response_size = ${100000 * MAX_SIZE} is over ${64 * 1024 * 1024}` } },
      },
      {
        name: "fuzz-interop-test-echo-unknown-status-code",
        method: "interop.InteropTest/Echo",
        requests: [{ responseStatus: { code: 17, message: "no such code" } }],
        timeoutMs: 5000,
        expect: { status: { code: "INVALID_ARGUMENT", message: "response_status.code 17 is out of range [0, 16]" } },
      },
    ],
  };
  return JSON.stringify(doc, null, 2) + "\n";
}
