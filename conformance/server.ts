// Server adapter for connectconformance --mode server: reads one size-delimited ServerCompatRequest
// from stdin, starts a grpc-js server with the ConformanceService as it asks (TLS, client
// certificates, receive limit) on 127.0.0.1 and a free port, writes a ServerCompatResponse to
// stdout, and serves until SIGTERM. (The runner closes stdin right after the request, so a closed
// stdin means nothing here; `npm run conformance` runs the runner in its own process group and
// kills that group past its time limit, adapters included.)
import { Server, ServerCredentials, type ServerOptions } from "@grpc/grpc-js";
import { HTTPVersion, Protocol } from "../.build/conformance/gen/connectrpc/conformance/v1/config.js";
import { ConformanceServiceService } from "../.build/conformance/gen/connectrpc/conformance/v1/service.js";
import { ServerCompatRequest, ServerCompatResponse } from "../.build/conformance/gen/connectrpc/conformance/v1/server_compat.js";
import { readDelimited, writeDelimited } from "./framing.js";
import { grpcJsShims } from "./grpc-js-shims.js";
import { conformanceService, type ServiceOptions } from "./service.js";

const HOST = "127.0.0.1";

function fail(msg: string): never {
  console.error(`conformance server: ${msg}`);
  process.exit(1);
}

/** grpc-js speaks the gRPC protocol over HTTP/2 only; anything else is a config error, said so. */
function credentialsFor(req: ServerCompatRequest): ServerCredentials {
  if (req.protocol !== Protocol.PROTOCOL_GRPC) fail(`protocol ${req.protocol} asked for; this adapter serves PROTOCOL_GRPC only (see conformance/config.yaml)`);
  if (req.httpVersion !== HTTPVersion.HTTP_VERSION_2) fail(`HTTP version ${req.httpVersion} asked for; grpc-js serves HTTP/2 only`);
  if (!req.useTls) return ServerCredentials.createInsecure();
  if (!req.serverCreds) fail("use_tls without server_creds");
  const keyPair = [{ cert_chain: Buffer.from(req.serverCreds.cert), private_key: Buffer.from(req.serverCreds.key) }];
  const clientCa = req.clientTlsCert.length > 0 ? Buffer.from(req.clientTlsCert) : null;
  return ServerCredentials.createSsl(clientCa, keyPair, clientCa !== null);
}

async function main(): Promise<void> {
  const opts: ServiceOptions = { dropTrailers: process.env.CONFORMANCE_MUTANT === "drop-trailers" };
  const input = readDelimited(process.stdin);
  const first = await input.next();
  if (first.done) fail("stdin closed before a ServerCompatRequest arrived");
  const req = ServerCompatRequest.decode(first.value);
  const options: ServerOptions = { interceptors: [grpcJsShims()] };
  if (req.messageReceiveLimit > 0) options["grpc.max_receive_message_length"] = req.messageReceiveLimit;
  const server = new Server(options);
  server.addService(ConformanceServiceService, conformanceService(opts));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${HOST}:0`, credentialsFor(req), (err, p) => (err ? reject(err) : resolve(p))),
  );
  const res: ServerCompatResponse = { host: HOST, port, pemCert: req.useTls && req.serverCreds ? req.serverCreds.cert : Buffer.alloc(0) };
  await writeDelimited(process.stdout, ServerCompatResponse.encode(res).finish());
  const stop = () => {
    server.forceShutdown();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((e: Error) => fail(e.message));
