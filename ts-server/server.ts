// Starts the TypeScript server on a host and port (0 picks a free port) and resolves with the
// address actually bound. Used by the CLI (main.ts) and directly by unit tests.
import { Server, ServerCredentials } from "@grpc/grpc-js";
import { GreeterService } from "../gen/ts/greeter.js";
import { greeterService, type GreeterOptions } from "./greeter-service.js";

export interface StartOptions extends GreeterOptions {
  host?: string;
  port?: number;
}

export interface RunningTsServer {
  address: string;
  server: Server;
  stop(): Promise<void>;
}

export async function startTsServer({ host = "127.0.0.1", port = 0, ...opts }: StartOptions): Promise<RunningTsServer> {
  const server = new Server();
  server.addService(GreeterService, greeterService(opts));
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    address: `${host}:${bound}`,
    server,
    stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
}
