// python-stub and python-aio-stub, called by the Python client driver through the harness's own
// runtime and batch code: each answers as its stub block says (replies, status with details,
// headers and trailers, timing, bidi modes), and records what it decoded (design §4).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import { credentials, loadPackageDefinition, type Client, type GrpcObject, type ServiceError } from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { BinaryReader } from "@bufbuild/protobuf/wire";
import { protoPath as healthProto } from "grpc-health-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runBatch, type BatchResult } from "../../batch.js";
import type { CaseSpec, Observation } from "../../contract.js";
import { loadSettings } from "../../fixtures.js";
import { ROOT, VENV_PYTHON } from "../../paths.js";
import type { ServerHandle } from "../../runtime/types.js";
import { buildDescriptorSet, pythonRuntime } from "./test-support.js";

const STUBS = {
  hello: {
    method: "greeter.Greeter/SayHello", // checked against HelloReply at start
    responses: [{ message: "stubbed hello" }],
    headers: { "x-h": ["h1", "h2"], "x-h-bin": ["AAEC"] },
    trailers: { "x-t": ["t1"], "x-t-bin": ["/wA="] },
  },
  "not-found": {
    status: { code: "NOT_FOUND", message: "no such order", details: [{ "@type": "type.googleapis.com/greeter.HelloReply", message: "detail" }] },
    trailers: { "x-t": ["after"] },
  },
  stocks: { responses: [{ symbol: "A", price: 1.5 }, { symbol: "B", price: "-0" }, { symbol: "C", price: 3 }], responseIntervalMs: 60 },
  "stocks-then-aborted": { responses: [{ symbol: "A", price: 1 }], status: { code: "ABORTED", message: "stopped" } },
  sum: { responses: [{ count: 3, average: 2 }] },
  "chat-ping-pong": { responses: [{ message: "r0" }, { message: "r1" }, { message: "r2" }] },
  "chat-half-duplex": { responses: [{ message: "r0" }, { message: "r1" }], bidi: "half-duplex" },
  big: { responses: [{ payload: "AAEC", index: "9007199254740993" }] },
  slow: { delayMs: 1500, responses: [{ message: "too late" }] },
};

const stub = (name: string, extra: Record<string, string[]> = {}) => ({ "x-interop-stub": [name], ...extra });
const report = (tag: string) => ({ tag, waitMs: 2000 });

const CASES: CaseSpec[] = [
  // Bytes that do not decode as the method's request (an EchoRequest whose payload is not UTF-8,
  // sent to SayHello): an error status, and every later case shows the server still serving.
  { name: "undecodable", method: "interop.InteropTest/Echo", path: "/greeter.Greeter/SayHello", requests: [{ payload: "/w==" }], metadata: stub("hello") },
  { name: "hello", method: "greeter.Greeter/SayHello", requests: [{ name: "stub me" }], metadata: stub("hello", { "x-custom": ["a", "b"], "x-custom-bin": ["AQI="] }), callReport: report("t-hello"), timeoutMs: 3000 },
  { name: "not-found", method: "greeter.Greeter/SayHello", requests: [{ name: "x" }], metadata: stub("not-found") },
  { name: "stocks", method: "greeter.Greeter/GetStockPrice", requests: [{ symbol: "S" }], metadata: stub("stocks") },
  { name: "stocks-then-aborted", method: "greeter.Greeter/GetStockPrice", requests: [{ symbol: "S" }], metadata: stub("stocks-then-aborted") },
  { name: "sum", method: "greeter.Greeter/RecordMetrics", requests: [{ value: 1.5 }, { value: "-0" }, { value: 2.5 }], metadata: stub("sum"), callReport: report("t-sum") },
  { name: "chat-ping-pong", method: "greeter.Greeter/Chat", requests: [{ message: "q0" }, { message: "q1" }], sendIntervalMs: 150, metadata: stub("chat-ping-pong"), callReport: report("t-chat") },
  { name: "chat-half-duplex", method: "greeter.Greeter/Chat", requests: [{ message: "q0" }, { message: "q1" }], sendIntervalMs: 100, metadata: stub("chat-half-duplex") },
  { name: "big", method: "interop.InteropTest/Echo", requests: [{ index: "-9223372036854775808", payload: "/w==" }], metadata: stub("big"), callReport: report("t-big") },
  { name: "slow", method: "greeter.Greeter/SayHello", requests: [{ name: "x" }], timeoutMs: 300, metadata: stub("slow"), callReport: report("t-slow") },
  { name: "chat-cancelled", method: "greeter.Greeter/Chat", requests: [{ message: "q0" }], cancelAfterMs: 300, metadata: stub("chat-half-duplex"), callReport: report("t-cancel") },
  { name: "no-header-unary", method: "greeter.Greeter/SayHello", requests: [{ name: "x" }] },
  { name: "no-header-stream", method: "greeter.Greeter/GetStockPrice", requests: [{ symbol: "x" }] },
  { name: "unknown-case", method: "greeter.Greeter/SayHello", requests: [{ name: "x" }], metadata: stub("nope") },
  { name: "wrong-type", method: "greeter.Greeter/SayHello", requests: [{ name: "x" }], metadata: stub("stocks") },
];

/** google.rpc.Status from grpc-status-details-bin: code, message and each detail's type URL. */
function decodeStatus(base64: string): { code: number; message: string; types: string[] } {
  const reader = new BinaryReader(Buffer.from(base64, "base64"));
  const out = { code: 0, message: "", types: [] as string[] };
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field === 1) out.code = reader.int32();
    else if (field === 2) out.message = reader.string();
    else if (field === 3) {
      const any = new BinaryReader(reader.bytes()); // google.protobuf.Any: type_url = 1, value = 2
      while (any.pos < any.len) {
        const [f, wireType] = any.tag();
        if (f === 1) out.types.push(any.string());
        else any.skip(wireType);
      }
    } else reader.skip(wireType);
  }
  return out;
}

// Stock health and reflection clients (the .proto files grpc-health-check and @grpc/reflection ship).
const reflectionDir = join(createRequire(import.meta.url).resolve("@grpc/reflection"), "..", "..", "proto");
type Ctor = new (addr: string, creds: ReturnType<typeof credentials.createInsecure>) => Client & Record<string, Function>;
const loadService = (file: string, path: string, dirs: string[] = []) =>
  path.split(".").reduce((o, k) => (o as GrpcObject)[k], loadPackageDefinition(protoLoader.loadSync(file, { includeDirs: dirs, keepCase: true, enums: String })) as unknown) as Ctor;
const Health = loadService(healthProto, "grpc.health.v1.Health");
const ReflectionV1 = loadService(join(reflectionDir, "grpc/reflection/v1/reflection.proto"), "grpc.reflection.v1.ServerReflection", [reflectionDir]);

function healthOf(address: string, service: string): Promise<string> {
  const client = new Health(address, credentials.createInsecure());
  return new Promise((resolve, reject) =>
    client.Check({ service }, { deadline: Date.now() + 5000 }, (err: ServiceError | null, res: { status: string }) => {
      client.close();
      return err ? reject(err) : resolve(res.status);
    }),
  );
}

/** One reflection v1 request; the first response. */
function reflect(address: string, request: Record<string, string>): Promise<Record<string, unknown>> {
  const client = new ReflectionV1(address, credentials.createInsecure());
  return new Promise((resolve, reject) => {
    const call = client.ServerReflectionInfo({ deadline: Date.now() + 5000 });
    call.on("data", (res: Record<string, unknown>) => resolve(res));
    call.on("error", reject);
    call.on("end", () => client.close());
    call.write(request);
    call.end();
  });
}

describe.each(["python-stub", "python-aio-stub"])("%s", (name) => {
  const dir = mkdtempSync(join(tmpdir(), "py-stub-"));
  const stubsFile = join(dir, "stubs.json");
  writeFileSync(stubsFile, JSON.stringify(STUBS));
  const script = name === "python-stub" ? "stub_server.py" : "aio_stub_server.py";
  const runtime = pythonRuntime(buildDescriptorSet(dir), {
    [name]: { file: VENV_PYTHON, args: [resolve(ROOT, "interop/peers/python", script), "--stubs", stubsFile] },
  });
  const obs = new Map<string, Observation & { error?: string }>();
  let server: ServerHandle;

  beforeAll(async () => {
    server = await runtime.startServer(name, { tickMs: 50, startTimeoutMs: loadSettings().serverStartTimeoutMs });
    const settle = (id: string, r: BatchResult) => {
      if ("error" in r) throw new Error(`${id}: ${r.error}`);
      obs.set(id, r.observation);
    };
    await runBatch({ runtime, client: "python", address: server.address, workDir: dir, serverGone: () => server.exitReason() },
      CASES.map((spec) => ({ id: spec.name, spec, limitMs: 10_000 })), settle);
  }, 60_000);
  afterAll(() => runtime.close());

  const received = (o: Observation) => JSON.parse((o.callReport as { receivedJson: string }).receivedJson);

  test("unary: the stubbed reply, headers and trailers (every value, -bin too)", () => {
    const o = obs.get("hello")!;
    expect(o.status).toEqual({ code: 0, message: "" });
    expect(o.responses.map((r) => r.message)).toEqual([{ message: "stubbed hello" }]);
    expect(o.headers["x-h"]).toEqual(["h1", "h2"]);
    expect(o.headers["x-h-bin"]).toEqual(["AAEC"]);
    expect(o.trailers["x-t"]).toEqual(["t1"]);
    expect(o.trailers["x-t-bin"]).toEqual(["/wA="]);
  });

  test("records the request as canonical JSON and the request metadata, transport headers left out", () => {
    const o = obs.get("hello")!;
    expect(o.callReport).toMatchObject({ found: true, hasDeadline: true, finished: true, cancelled: false });
    // The window the deadlines fixtures use: the timeout travels rounded in grpc-timeout, so the
    // server may see a little more than the client's 3000 ms.
    expect(Number((o.callReport as { deadlineMs: string }).deadlineMs)).toBeGreaterThanOrEqual(2500);
    expect(Number((o.callReport as { deadlineMs: string }).deadlineMs)).toBeLessThanOrEqual(3100);
    const got = received(o);
    expect(got.requests).toEqual([{ name: "stub me" }]);
    expect(got.metadata).toMatchObject({ "x-custom": ["a", "b"], "x-custom-bin": ["AQI="], "x-interop-stub": ["hello"] });
    expect(Object.keys(got.metadata).filter((k) => k.startsWith("grpc-") || k.startsWith(":") || ["te", "content-type", "user-agent"].includes(k))).toEqual([]);
  });

  test("status with details: the code, the message, and google.rpc.Status in grpc-status-details-bin", () => {
    const o = obs.get("not-found")!;
    expect(o.status).toEqual({ code: 5, message: "no such order" });
    expect(o.responses).toEqual([]);
    expect(o.trailers["x-t"]).toEqual(["after"]);
    const [details] = o.trailers["grpc-status-details-bin"] ?? [];
    expect(details).toBeDefined();
    expect(decodeStatus(details)).toEqual({ code: 5, message: "no such order", types: ["type.googleapis.com/greeter.HelloReply"] });
  });

  test("server streaming: every response in order, responseIntervalMs apart; then a non-OK status after a response", () => {
    const o = obs.get("stocks")!;
    expect(o.status.code).toBe(0);
    expect(o.responses.map((r) => (r.message as { symbol: string }).symbol)).toEqual(["A", "B", "C"]);
    expect(o.responses[2].atMs - o.responses[0].atMs).toBeGreaterThanOrEqual(100);
    // proto3 JSON takes "-0" for a double (JSON.stringify cannot write -0); it comes back as -0.
    expect(Object.is((o.responses[1].message as { price: number }).price, -0)).toBe(true);
    const aborted = obs.get("stocks-then-aborted")!;
    expect(aborted.status).toEqual({ code: 10, message: "stopped" });
    expect(aborted.responses.map((r) => r.message)).toEqual([{ symbol: "A", price: 1 }]);
  });

  test("client streaming: one reply after all requests, each request recorded (-0 kept)", () => {
    const o = obs.get("sum")!;
    expect(o.responses.map((r) => r.message)).toEqual([{ count: 3, average: 2 }]);
    expect(o.responses[0].atMs).toBeGreaterThanOrEqual(o.halfCloseAtMs!);
    const values = received(o).requests.map((r: { value: number }) => r.value);
    expect(values).toEqual([1.5, -0, 2.5]);
    expect(Object.is(values[1], -0)).toBe(true);
  });

  test("bidi ping-pong: reply i right after request i, the rest after the half-close", () => {
    const o = obs.get("chat-ping-pong")!;
    expect(o.status.code).toBe(0);
    expect(o.responses.map((r) => (r.message as { message: string }).message)).toEqual(["r0", "r1", "r2"]);
    expect(o.responses[0].atMs).toBeLessThan(o.sent[1].atMs);
    expect(o.responses[1].atMs).toBeLessThan(o.halfCloseAtMs!);
    expect(o.responses[2].atMs).toBeGreaterThanOrEqual(o.halfCloseAtMs!);
    expect(received(o).requests).toEqual([{ message: "q0", user: "" }, { message: "q1", user: "" }]);
  });

  test("bidi half-duplex: every reply after the half-close", () => {
    const o = obs.get("chat-half-duplex")!;
    expect(o.responses.map((r) => (r.message as { message: string }).message)).toEqual(["r0", "r1"]);
    for (const r of o.responses) expect(r.atMs).toBeGreaterThanOrEqual(o.halfCloseAtMs!);
  });

  test("int64 beyond 2^53 and bytes survive both ways as canonical JSON", () => {
    const o = obs.get("big")!;
    expect(o.responses.map((r) => r.message)).toEqual([{ payload: "AAEC", index: "9007199254740993" }]);
    expect(received(o).requests).toEqual([{ payload: "/w==", index: "-9223372036854775808", responseSize: 0, headersFirst: false, sleepMs: 0, compressResponse: false, holdUntilHalfClose: false, statusDetails: false }]);
  });

  test("a deadline shorter than delayMs: DEADLINE_EXCEEDED, and the record says cancelled and finished", () => {
    const o = obs.get("slow")!;
    expect(o.status.code).toBe(4);
    expect(o.responses).toEqual([]);
    expect(o.callReport).toMatchObject({ found: true, hasDeadline: true, cancelled: true, finished: true });
  });

  test("a client cancel: CANCELLED, and the record has the request, cancelled and finished", () => {
    const o = obs.get("chat-cancelled")!;
    expect(o.status.code).toBe(1);
    expect(o.responses).toEqual([]);
    expect(o.callReport).toMatchObject({ found: true, cancelled: true, finished: true });
    expect(received(o).requests).toEqual([{ message: "q0", user: "" }]);
  });

  test("without x-interop-stub: one empty reply for unary, none for a stream, OK", () => {
    expect(obs.get("no-header-unary")!.status.code).toBe(0);
    expect(obs.get("no-header-unary")!.responses.map((r) => r.message)).toEqual([{ message: "" }]);
    expect(obs.get("no-header-stream")!.status.code).toBe(0);
    expect(obs.get("no-header-stream")!.responses).toEqual([]);
  });

  test("a request that does not decode: an error status, not a crash", () => {
    const o = obs.get("undecodable")!;
    expect(o.status.code).toBe(13);
    expect(o.status.message).toMatch(/^stub: the request does not decode as greeter\.HelloRequest: .*UTF-8/);
    expect(o.responses).toEqual([]);
  });

  test("health: SERVING overall and per service of the set, NOT_FOUND for another", async () => {
    for (const service of ["", "greeter.Greeter", "interop.InteropTest", "userservice.UserService", "grpc.health.v1.Health"]) {
      expect(await healthOf(server.address, service), service || "(overall)").toBe("SERVING");
    }
    await expect(healthOf(server.address, "no.such.Service")).rejects.toMatchObject({ code: 5 });
  });

  test("reflection v1: lists the set's services and describes them from the set", async () => {
    const listed = await reflect(server.address, { list_services: "*" });
    const names = (listed.list_services_response as { service: { name: string }[] }).service.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(["greeter.Greeter", "interop.InteropTest", "userservice.UserService", "grpc.health.v1.Health"]));
    const file = await reflect(server.address, { file_containing_symbol: "userservice.UserService" });
    const protos = (file.file_descriptor_response as { file_descriptor_proto: Buffer[] }).file_descriptor_proto;
    expect(protos.length).toBeGreaterThan(0);
    expect(Buffer.from(protos[0]).toString("latin1")).toContain("user_service.proto");
  });

  test("a case it does not have: FAILED_PRECONDITION; responses of another type: INTERNAL naming the case; the server keeps serving", () => {
    expect(obs.get("unknown-case")!.status).toEqual({ code: 9, message: "stub has no case nope" });
    const wrong = obs.get("wrong-type")!;
    expect(wrong.status.code).toBe(13);
    expect(wrong.status.message).toMatch(/stub case stocks: responses\[0\] is not a valid greeter\.HelloReply: .*"symbol"/s);
    expect(server.exitReason()).toBeUndefined();
  });
});

describe("a bad stubs file", () => {
  test.each(["python-stub", "python-aio-stub"])("%s: one error line naming the case, exit 2, before it listens", async (name) => {
    const dir = mkdtempSync(join(tmpdir(), "py-stub-bad-"));
    const stubsFile = join(dir, "stubs.json");
    writeFileSync(stubsFile, JSON.stringify({ ok: { responses: [] }, broken: { method: "greeter.Greeter/SayHello", responses: [{ nope: 1 }] } }));
    const script = name === "python-stub" ? "stub_server.py" : "aio_stub_server.py";
    const runtime = pythonRuntime(buildDescriptorSet(dir), {
      [name]: { file: VENV_PYTHON, args: [resolve(ROOT, "interop/peers/python", script), "--stubs", stubsFile] },
    });
    try {
      await expect(runtime.startServer(name, { tickMs: 50, startTimeoutMs: 15_000 })).rejects.toThrow(
        /exited \(code 2\): .*case broken: responses\[0\] is not a valid greeter\.HelloReply: .*"nope"/,
      );
    } finally {
      await runtime.close();
    }
  }, 30_000);
});
