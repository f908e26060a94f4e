// Every reference server offers grpc.health.v1 and server reflection, so stock tools (grpcurl,
// grpc_health_probe) work against it. Checked from the TypeScript side with clients built from
// the .proto files that grpc-health-check and @grpc/reflection ship, and the reflected
// descriptors built in Go (protodesc, strict, as grpcurl) and Python (descriptor_pool).
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { credentials, loadPackageDefinition, type Client, type GrpcObject, type ServiceError } from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { protoPath as healthProto } from "grpc-health-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadSettings } from "./fixtures.js";
import { SERVERS } from "./peers.js";
import { ProcessRuntime } from "./runtime/process.js";
import type { ServerHandle } from "./runtime/types.js";
import { ROOT, VENV_PYTHON } from "./paths.js";

/** Runs a reflection check program (Go or Python) against a server: its one JSON line. */
function reflectCheck(cmd: string, args: string[]): { services?: string[]; files?: string[]; error?: string } {
  return JSON.parse(execFileSync(cmd, args, { cwd: ROOT, timeout: 60_000, encoding: "utf8" }).trim().split("\n").pop()!);
}

const reflectionDir = join(createRequire(import.meta.url).resolve("@grpc/reflection"), "..", "..", "proto");
const load = (file: string, dirs: string[] = []) => loadPackageDefinition(protoLoader.loadSync(file, { includeDirs: dirs, keepCase: true, enums: String })) as GrpcObject;
const pick = (obj: GrpcObject, path: string) => path.split(".").reduce((o, k) => (o as GrpcObject)[k], obj as unknown) as new (addr: string, creds: ReturnType<typeof credentials.createInsecure>) => Client;
const Health = pick(load(healthProto), "grpc.health.v1.Health");
const ReflectionV1 = pick(load(join(reflectionDir, "grpc/reflection/v1/reflection.proto"), [reflectionDir]), "grpc.reflection.v1.ServerReflection");
const ReflectionV1alpha = pick(load(join(reflectionDir, "grpc/reflection/v1alpha/reflection.proto"), [reflectionDir]), "grpc.reflection.v1alpha.ServerReflection");

/** Services no server registers: reflection must not list them. */
const NOT_SERVED = ["interop.UnimplementedService"];
const OUR_SERVICES = ["greeter.Greeter", "interop.InteropTest", "userservice.UserService", "grpc.health.v1.Health"];

function check(address: string, service: string): Promise<string> {
  const client = new Health(address, credentials.createInsecure()) as Client & Record<string, Function>;
  return new Promise((resolve, reject) =>
    client.Check({ service }, { deadline: Date.now() + 5000 }, (err: ServiceError | null, res: { status: string }) => {
      client.close();
      return err ? reject(err) : resolve(res.status);
    }),
  );
}

/** Lists services the way grpcurl does: reflection v1 first, v1alpha when v1 is not there. */
async function listServices(address: string): Promise<{ version: string; services: string[] }> {
  for (const [version, Ctor] of [["v1", ReflectionV1], ["v1alpha", ReflectionV1alpha]] as const) {
    const client = new Ctor(address, credentials.createInsecure()) as Client & Record<string, Function>;
    const result = await new Promise<string[] | "unimplemented">((resolve, reject) => {
      const call = client.ServerReflectionInfo({ deadline: Date.now() + 5000 });
      call.on("data", (res: { list_services_response?: { service: { name: string }[] } }) => resolve(res.list_services_response?.service.map((s) => s.name) ?? []));
      call.on("error", (err: ServiceError) => (err.code === 12 ? resolve("unimplemented") : reject(err)));
      call.write({ list_services: "*" });
      call.end();
    });
    client.close();
    if (result !== "unimplemented") return { version, services: result };
  }
  throw new Error(`${address} offers no server reflection (v1 or v1alpha)`);
}

describe.each(SERVERS)("the %s server", (name) => {
  const runtime = new ProcessRuntime();
  let server: ServerHandle;
  beforeAll(async () => {
    server = await runtime.startServer(name, { tickMs: 50, startTimeoutMs: loadSettings().serverStartTimeoutMs });
  }, 30_000);
  afterAll(() => runtime.close());

  test("answers health checks: SERVING overall and for each of its services", async () => {
    for (const service of ["", "greeter.Greeter", "interop.InteropTest", "userservice.UserService"]) {
      expect(await check(server.address, service), service || "(overall)").toBe("SERVING");
    }
    await expect(check(server.address, "no.such.Service")).rejects.toMatchObject({ code: 5 }); // NOT_FOUND
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
  test("build with Go's protodesc (strict), under their real file names", () => {
    const out = reflectCheck("go", ["run", "./interop/peers/go/reflectcheck", "--addr", server.address]);
    expect(out.error).toBeUndefined();
    expect(out.services).toEqual(expect.arrayContaining(OUR_SERVICES));
    // Our protos keep their names; health's is the library's (grpcio ships grpc_health/v1/health.proto).
    expect(out.files).toEqual(expect.arrayContaining(["greeter.proto", "interop_test.proto", "user_service.proto"]));
    expect(out.files!.some((f) => f.endsWith("v1/health.proto"))).toBe(true);
  }, 120_000);

  test("build with Python's descriptor_pool (reflection v1alpha)", () => {
    const out = reflectCheck(VENV_PYTHON, ["interop/peers/python/reflect_check.py", "--addr", server.address]);
    expect(out.error).toBeUndefined();
    expect(out.services).toEqual(expect.arrayContaining(OUR_SERVICES));
    expect(out.files).toEqual(expect.arrayContaining(["greeter.proto", "interop_test.proto", "user_service.proto"]));
  }, 60_000);
});
