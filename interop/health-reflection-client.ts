// Clients for grpc.health.v1 and server reflection, shared by the health/reflection tests and their
// mutants: TS clients built from the .proto files grpc-health-check and @grpc/reflection ship, and
// the Go (protodesc) and Python (descriptor_pool) programs that build a server's reflected descriptors.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createRequire } from "node:module";
import { join } from "node:path";
import { credentials, loadPackageDefinition, type Client, type GrpcObject, type ServiceError } from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { createFileRegistry, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { protoPath as healthProto } from "grpc-health-check";
import { ROOT, VENV_PYTHON } from "./paths.js";

/** Runs a reflection check program (Go or Python) against a server: its one JSON line. */
export async function reflectCheck(cmd: string, args: string[]): Promise<{ services?: string[]; files?: string[]; error?: string }> {
  // Asynchronous: the server under test may live in this very process (the mutant tests).
  const { stdout } = await promisify(execFile)(cmd, args, { cwd: ROOT, timeout: 60_000, encoding: "utf8" });
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

/** Go's strict build of what the server at address reflects (as grpcurl does). */
export const goReflectCheck = (address: string) => reflectCheck("go", ["run", "./interop/peers/go/reflectcheck", "--addr", address]);
/** Python's build of it, through reflection v1alpha. */
export const pythonReflectCheck = (address: string) => reflectCheck(VENV_PYTHON, ["interop/peers/python/reflect_check.py", "--addr", address]);

const reflectionDir = join(createRequire(import.meta.url).resolve("@grpc/reflection"), "..", "..", "proto");
const load = (file: string, dirs: string[] = []) => loadPackageDefinition(protoLoader.loadSync(file, { includeDirs: dirs, keepCase: true, enums: String })) as GrpcObject;
const pick = (obj: GrpcObject, path: string) => path.split(".").reduce((o, k) => (o as GrpcObject)[k], obj as unknown) as new (addr: string, creds: ReturnType<typeof credentials.createInsecure>) => Client;
const Health = pick(load(healthProto), "grpc.health.v1.Health");
const ReflectionV1 = pick(load(join(reflectionDir, "grpc/reflection/v1/reflection.proto"), [reflectionDir]), "grpc.reflection.v1.ServerReflection");
const ReflectionV1alpha = pick(load(join(reflectionDir, "grpc/reflection/v1alpha/reflection.proto"), [reflectionDir]), "grpc.reflection.v1alpha.ServerReflection");

/** Services no server registers: reflection must not list them. */
export const NOT_SERVED = ["interop.UnimplementedService"];
export const OUR_SERVICES = ["greeter.Greeter", "interop.InteropTest", "userservice.UserService", "grpc.health.v1.Health"];

export function check(address: string, service: string): Promise<string> {
  const client = new Health(address, credentials.createInsecure()) as Client & Record<string, Function>;
  return new Promise((resolve, reject) =>
    client.Check({ service }, { deadline: Date.now() + 5000 }, (err: ServiceError | null, res: { status: string }) => {
      client.close();
      return err ? reject(err) : resolve(res.status);
    }),
  );
}

/** Lists services the way grpcurl does: reflection v1 first, v1alpha when v1 is not there. */
export async function listServices(address: string): Promise<{ version: string; services: string[] }> {
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


/** What is wrong with a server's health answers: SERVING overall and per service, NOT_FOUND for an unknown one. */
export async function healthProblems(address: string): Promise<string[]> {
  const problems: string[] = [];
  for (const service of ["", "greeter.Greeter", "interop.InteropTest", "userservice.UserService"]) {
    const status = await check(address, service).catch((e: ServiceError) => `error ${e.code} ${e.details}`);
    if (status !== "SERVING") problems.push(`${service || "(overall)"}: ${status}`);
  }
  const unknown = await check(address, "no.such.Service").then((s) => `answered ${s}`, (e: ServiceError) => (e.code === 5 ? undefined : `error ${e.code}`));
  if (unknown) problems.push(`no.such.Service: expected NOT_FOUND, ${unknown}`);
  return problems;
}

/**
 * TypeScript's build of what the server reflects (v1): the files containing each listed service,
 * decoded and registered with @bufbuild/protobuf's createFileRegistry, which resolves every
 * import and type reference. Same shape as the Go and Python checks.
 */
export async function tsReflectCheck(address: string): Promise<{ services?: string[]; files?: string[]; error?: string }> {
  try {
    const { services } = await listServices(address);
    const client = new ReflectionV1(address, credentials.createInsecure()) as Client & Record<string, Function>;
    const files = new Map<string, FileDescriptorProto>();
    try {
      for (const symbol of services) {
        const protos = await new Promise<Buffer[]>((resolve, reject) => {
          const call = client.ServerReflectionInfo({ deadline: Date.now() + 5000 });
          call.on("data", (res: { file_descriptor_response?: { file_descriptor_proto: Buffer[] }; error_response?: { error_message: string } }) =>
            res.file_descriptor_response ? resolve(res.file_descriptor_response.file_descriptor_proto) : reject(new Error(`file containing ${symbol}: ${res.error_response?.error_message}`)),
          );
          call.on("error", reject);
          call.write({ file_containing_symbol: symbol });
          call.end();
        });
        for (const bytes of protos) {
          const file = fromBinary(FileDescriptorProtoSchema, bytes);
          files.set(file.name, file);
        }
      }
    } finally {
      client.close();
    }
    // Each file with its imports resolved from what the server sent (in any order).
    for (const file of files.values()) createFileRegistry(file, (name) => files.get(name));
    return { services: [...services].sort(), files: [...files.keys()].sort() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}
