// go-stub answered by the go driver, through the harness's own process runtime and batch code:
// a contract the harness has never seen (a nested package folder, buf-built into a descriptor
// set here, no generated code anywhere), stub blocks for all four patterns, and what the stub
// recorded of each call read back with GetCallReport.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runBatch, type BatchResult } from "../../batch.js";
import type { CaseSpec, Observation } from "../../contract.js";
import { BUILD_DIR, ROOT } from "../../paths.js";
import { ProcessRuntime } from "../../runtime/process.js";
import type { ServerHandle } from "../../runtime/types.js";

const ROUTE_PROTO = `syntax = "proto3";
package acme.route.v1;
message Point {
  int64 id = 1;
  double ratio = 2;
  Kind kind = 3;
  repeated string tags = 4;
  map<string, string> labels = 5;
  Child child = 6;
  oneof choice { string text = 7; int32 num = 8; }
}
message Child { string note = 1; }
message Detail { string reason = 1; }
enum Kind { KIND_UNSPECIFIED = 0; KIND_A = 1; }
service RouteService {
  rpc Unary(Point) returns (Point);
  rpc ServerStream(Point) returns (stream Point);
  rpc ClientStream(stream Point) returns (Point);
  rpc Bidi(stream Point) returns (stream Point);
}
`;

const STUBS = {
  unary: { method: "acme.route.v1.RouteService/Unary", responses: [{ id: "9007199254740993", kind: "KIND_A", labels: { k: "v" }, num: 7 }], headers: { "x-h": ["a", "b"], "x-h-bin": ["AAEC"] }, trailers: { "x-t": ["t"] } },
  failing: { status: { code: "NOT_FOUND", message: "no such route", details: [{ "@type": "type.googleapis.com/acme.route.v1.Detail", reason: "gone" }] }, trailers: { "x-why": ["missing"] } },
  stream: { responses: [{ id: "1" }, { id: "2" }, { id: "3" }], responseIntervalMs: 20 },
  collect: { responses: [{ text: "collected" }] },
  chat: { responses: [{ id: "1" }, { id: "2" }] },
};

const route = (m: string) => `acme.route.v1.RouteService/${m}`;
const stub = (name: string, extra: Partial<CaseSpec> = {}): CaseSpec => ({ name, method: route("Unary"), requests: [{}], timeoutMs: 5000, ...extra, metadata: { "x-interop-stub": [name], ...extra.metadata } });
const report = (tag: string) => ({ callReport: { tag, waitMs: 2000 } });

const CASES: CaseSpec[] = [
  stub("unary", { requests: [{ id: "-9223372036854775808", ratio: 1.5, child: { note: "n" }, tags: ["x", "y"] }], metadata: { "x-app": ["1"], "x-raw-bin": ["AAE="] }, ...report("t-unary") }),
  stub("failing"),
  stub("stream", { method: route("ServerStream"), requests: [{ text: "go" }] }),
  stub("collect", { method: route("ClientStream"), requests: [{ id: "1" }, { id: "2" }, { id: "3" }], ...report("t-collect") }),
  stub("chat", { method: route("Bidi"), requests: [{ num: 1 }, { num: 2 }], sendIntervalMs: 100 }),
  stub("no-such-case"),
  { name: "bad-request", method: route("Unary"), requests: [{ idd: "1" }] },
];

let dir: string;
let runtime: ProcessRuntime;
let server: ServerHandle;
const results = new Map<string, BatchResult>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "go-stub-test-"));
  mkdirSync(join(dir, "proto", "acme", "route", "v1"), { recursive: true });
  writeFileSync(join(dir, "proto", "acme", "route", "v1", "route.proto"), ROUTE_PROTO);
  copyFileSync(join(ROOT, "proto", "interop_test.proto"), join(dir, "proto", "interop_test.proto")); // GetCallReport
  const set = join(dir, "descriptors.binpb");
  await execa(join(ROOT, "node_modules", ".bin", "buf"), ["build", join(dir, "proto"), "-o", set], { cwd: dir });
  writeFileSync(join(dir, "stubs.json"), JSON.stringify(STUBS));
  const bin = (peer: string) => join(BUILD_DIR, "bin", `go-${peer}`);
  runtime = new ProcessRuntime({
    server: { "go-stub": { file: bin("stub"), args: ["--descriptor-set", set, "--stubs", join(dir, "stubs.json")] } },
    client: { go: { file: bin("client"), args: ["--descriptor-set", set] } },
  });
  server = await runtime.startServer("go-stub", { tickMs: 50, startTimeoutMs: 5000 });
  const items = CASES.map((spec) => ({ id: spec.name, spec, limitMs: 10_000 }));
  await runBatch({ runtime, client: "go", address: server.address, workDir: dir, serverGone: () => server.exitReason() }, items, (id, r) => results.set(id, r));
}, 60_000);

afterAll(async () => {
  await runtime?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function observed(name: string): Observation {
  const r = results.get(name);
  if (!r || !("observation" in r)) throw new Error(`case ${name}: ${r ? r.error : "no result"}`);
  return r.observation;
}

const received = (o: Observation) => JSON.parse((o.callReport as { receivedJson: string }).receivedJson) as { requests: unknown[]; metadata: Record<string, string[]> };

test("unary: the stub's reply, headers and trailers; the request as the stub decoded it", () => {
  const o = observed("unary");
  expect(o.status).toEqual({ code: 0, message: "" });
  expect(o.responses.map((r) => r.message)).toEqual([{ id: "9007199254740993", ratio: 0, kind: "KIND_A", tags: [], labels: { k: "v" }, num: 7 }]);
  expect(o.headers["x-h"]).toEqual(["a", "b"]);
  expect(o.headers["x-h-bin"]).toEqual(["AAEC"]);
  expect(o.trailers["x-t"]).toEqual(["t"]);
  expect(o.callReport).toMatchObject({ found: true, finished: true, cancelled: false, hasDeadline: true });
  const r = received(o);
  expect(r.requests).toEqual([{ id: "-9223372036854775808", ratio: 1.5, kind: "KIND_UNSPECIFIED", tags: ["x", "y"], labels: {}, child: { note: "n" } }]);
  expect(r.metadata).toMatchObject({ "x-app": ["1"], "x-raw-bin": ["AAE="], "x-interop-stub": ["unary"] });
  expect(Object.keys(r.metadata).filter((k) => k.startsWith(":") || k.startsWith("grpc-") || k === "content-type" || k === "user-agent")).toEqual([]);
});

test("a status with details arrives as code, message and grpc-status-details-bin", () => {
  const o = observed("failing");
  expect(o.status).toEqual({ code: 5, message: "no such route" });
  expect(o.responses).toEqual([]);
  expect(o.trailers["x-why"]).toEqual(["missing"]);
  // google.rpc.Status{code 5, message, details [Any{type_url, Detail{reason "gone"}}]}
  const bin = Buffer.from(o.trailers["grpc-status-details-bin"][0], "base64");
  expect(bin.includes(Buffer.from("type.googleapis.com/acme.route.v1.Detail"))).toBe(true);
  expect(bin.includes(Buffer.from("no such route"))).toBe(true);
  expect(bin.includes(Buffer.from([0x0a, 0x04, ...Buffer.from("gone")]))).toBe(true);
});

test("server streaming: every response, responseIntervalMs apart", () => {
  const o = observed("stream");
  expect(o.status.code).toBe(0);
  expect(o.responses.map((r) => (r.message as { id: string }).id)).toEqual(["1", "2", "3"]);
  expect(o.responses[2].atMs - o.responses[0].atMs).toBeGreaterThanOrEqual(35);
});

test("client streaming: one reply after every request, all three recorded", () => {
  const o = observed("collect");
  expect(o.responses.map((r) => r.message)).toEqual([{ id: "0", ratio: 0, kind: "KIND_UNSPECIFIED", tags: [], labels: {}, text: "collected" }]);
  expect(received(o).requests.map((r) => (r as { id: string }).id)).toEqual(["1", "2", "3"]);
});

test("bidi ping-pong: response i follows request i, before the half-close", () => {
  const o = observed("chat");
  expect(o.status.code).toBe(0);
  expect(o.responses.map((r) => (r.message as { id: string }).id)).toEqual(["1", "2"]);
  expect(o.halfCloseAtMs).not.toBeNull();
  expect(o.responses[0].atMs).toBeLessThan(o.sent[1].atMs);
});

test("a case the stub has no block for is FAILED_PRECONDITION naming it", () => {
  expect(observed("no-such-case").status).toEqual({ code: 9, message: "stub has no case no-such-case" });
});

test("a request with an unknown field is an error line naming the case and the field, and the batch went on", () => {
  // Observation gains "error" in interop/contract.ts with the harness side of README: Any contract.
  const o = observed("bad-request") as Observation & { error?: string };
  expect(o.error).toMatch(/^case bad-request: request 0 is not a valid acme\.route\.v1\.Point: .*unknown field "idd"/);
  expect(o.sent).toEqual([]);
  expect(server.exitReason()).toBeUndefined();
});
