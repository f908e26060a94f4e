// Starts the TypeScript server: the article's Greeter, InteropTest, guide 002's UserService
// (behind the auth interceptor) and grpc's interop TestService, with health checking and reflection. Plaintext on host:port
// (0 picks a free port), plus TLS and mTLS ports when given certificates.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { Server, ServerCredentials, type ServerOptions, type UntypedServiceImplementation } from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { HealthImplementation, protoPath as healthProto } from "grpc-health-check";
import { GreeterService, type GreeterServer } from "../gen/ts/greeter.js";
import { InteropTestService, type InteropTestServer } from "../gen/ts/interop_test.js";
import { UserServiceService, type UserServiceServer } from "../gen/ts/user_service.js";
import { authInterceptor } from "./auth.js";
import { greeterService, type GreeterOptions } from "./greeter-service.js";
import { testService, testServiceDefinition } from "./grpc-testing-service.js";
import { interopService } from "./interop-service.js";
import { reflectionService } from "./reflection.js";
import { userService } from "./user-service.js";
import { ROOT } from "../interop/paths.js";

const PROTO_DIR = join(ROOT, "proto");
const REFLECTION_PROTO_DIR = join(createRequire(import.meta.url).resolve("@grpc/reflection"), "..", "..", "proto");
const SERVICES = ["greeter.Greeter", "interop.InteropTest", "userservice.UserService"];

/** Health or reflection: something that adds its service to a server. */
export interface AddsToServer {
  addToServer(server: Server): void;
}

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  /** With a client CA, an mTLS port is served too. */
  clientCaFile?: string;
}

export interface StartOptions extends GreeterOptions {
  host?: string;
  port?: number;
  tls?: TlsFiles;
  /** Replace a service's implementation (tests serve deliberately broken ones). */
  implementations?: { interop?: InteropTestServer; users?: UserServiceServer; grpcTesting?: UntypedServiceImplementation; greeter?: GreeterServer; health?: AddsToServer; reflection?: AddsToServer };
  /** grpc-js server options; the default has the auth interceptor. */
  serverOptions?: ServerOptions;
}

export interface RunningTsServer {
  address: string;
  tlsAddress?: string;
  mtlsAddress?: string;
  server: Server;
  stop(): Promise<void>;
}

function bind(server: Server, address: string, creds: ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => server.bindAsync(address, creds, (err, port) => (err ? reject(err) : resolve(port))));
}

export async function startTsServer({ host = "127.0.0.1", port = 0, tls, implementations = {}, serverOptions, ...opts }: StartOptions): Promise<RunningTsServer> {
  const server = new Server({ interceptors: [authInterceptor], ...serverOptions });
  server.addService(GreeterService, implementations.greeter ?? greeterService(opts));
  server.addService(InteropTestService, implementations.interop ?? interopService());
  server.addService(UserServiceService, implementations.users ?? userService());
  // grpc's interop service (grpc.testing.TestService), from the contract's descriptor set.
  server.addService(testServiceDefinition(), implementations.grpcTesting ?? testService());
  (implementations.health ?? new HealthImplementation(Object.fromEntries(["", ...SERVICES].map((s) => [s, "SERVING"])))).addToServer(server);
  // Reflection lists what is served here (health and itself included, as grpc-go and grpcio do).
  // Without the contract's descriptor set it falls back to these .proto files.
  const protos = [...["greeter", "interop_test", "user_service"].map((f) => join(PROTO_DIR, `${f}.proto`)), healthProto, "grpc/reflection/v1/reflection.proto"];
  (implementations.reflection ?? reflectionService([...SERVICES, "grpc.testing.TestService", "grpc.health.v1.Health"], () => protoLoader.loadSync(protos, { includeDirs: [REFLECTION_PROTO_DIR] }))).addToServer(server);

  const running: RunningTsServer = {
    address: `${host}:${await bind(server, `${host}:${port}`, ServerCredentials.createInsecure())}`,
    server,
    stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
  if (tls) {
    const keyPair = [{ cert_chain: readFileSync(tls.certFile), private_key: readFileSync(tls.keyFile) }];
    running.tlsAddress = `${host}:${await bind(server, `${host}:0`, ServerCredentials.createSsl(null, keyPair, false))}`;
    if (tls.clientCaFile) {
      const mtls = ServerCredentials.createSsl(readFileSync(tls.clientCaFile), keyPair, true);
      running.mtlsAddress = `${host}:${await bind(server, `${host}:0`, mtls)}`;
    }
  }
  return running;
}
