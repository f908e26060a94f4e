// Every reference server offers grpc.health.v1 and server reflection, so stock tools (grpcurl,
// grpc_health_probe) work against it. Checked from the TypeScript side with clients built from
// the .proto files that grpc-health-check and @grpc/reflection ship, and the reflected
// descriptors built in Go (protodesc, strict, as grpcurl) and Python (descriptor_pool).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadSettings } from "./fixtures.js";
import { goReflectCheck, healthProblems, listServices, NOT_SERVED, OUR_SERVICES, pythonReflectCheck, tsReflectCheck } from "./health-reflection-client.js";
import { SERVERS } from "./peers.js";
import { ProcessRuntime } from "./runtime/process.js";
import type { ServerHandle } from "./runtime/types.js";

describe.each(SERVERS)("the %s server", (name) => {
  const runtime = new ProcessRuntime();
  let server: ServerHandle;
  beforeAll(async () => {
    server = await runtime.startServer(name, { tickMs: 50, startTimeoutMs: loadSettings().serverStartTimeoutMs });
  }, 30_000);
  afterAll(() => runtime.close());

  test("answers health checks: SERVING overall and for each of its services, NOT_FOUND for an unknown one", async () => {
    expect(await healthProblems(server.address)).toEqual([]);
  });

  test("lists its services through server reflection", async () => {
    const { services } = await listServices(server.address);
    expect(services).toEqual(expect.arrayContaining(OUR_SERVICES));
    expect(services.some((s) => s.startsWith("grpc.reflection."))).toBe(true);
  });
});

describe.each(SERVERS)("the %s server's reflected descriptors", (name) => {
  const runtime = new ProcessRuntime();
  let server: ServerHandle;
  beforeAll(async () => {
    server = await runtime.startServer(name, { tickMs: 50, startTimeoutMs: loadSettings().serverStartTimeoutMs });
  }, 30_000);
  afterAll(() => runtime.close());

  test("list only what is served", async () => {
    const { services } = await listServices(server.address);
    for (const s of NOT_SERVED) expect(services).not.toContain(s);
  });

  // grpcurl's error against the TS server was "HealthListResponse.statuses is an invalid map:
  // incorrect implicit map entry name": protobufjs-made descriptors that Go refuses to build.
  test("build with Go's protodesc (strict), under their real file names", async () => {
    const out = await goReflectCheck(server.address);
    expect(out.error).toBeUndefined();
    expect(out.services).toEqual(expect.arrayContaining(OUR_SERVICES));
    // Our protos keep their names; health's is the library's (grpcio ships grpc_health/v1/health.proto).
    expect(out.files).toEqual(expect.arrayContaining(["greeter.proto", "interop_test.proto", "user_service.proto"]));
    expect(out.files!.some((f) => f.endsWith("v1/health.proto"))).toBe(true);
  }, 120_000);

  test("build with TypeScript's createFileRegistry (@bufbuild/protobuf)", async () => {
    const out = await tsReflectCheck(server.address);
    expect(out.error).toBeUndefined();
    expect(out.files).toEqual(expect.arrayContaining(["greeter.proto", "interop_test.proto", "user_service.proto"]));
  });

  test("build with Python's descriptor_pool (reflection v1alpha)", async () => {
    const out = await pythonReflectCheck(server.address);
    expect(out.error).toBeUndefined();
    expect(out.services).toEqual(expect.arrayContaining(OUR_SERVICES));
    expect(out.files).toEqual(expect.arrayContaining(["greeter.proto", "interop_test.proto", "user_service.proto"]));
  }, 60_000);
});
