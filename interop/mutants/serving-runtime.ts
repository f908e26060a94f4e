// A runtime whose server of one name is a TS server started in this process (a mutant), and
// whose other peers are the real ones: cells keep their real names ("go -> ts | ..."), so the
// project's known-failing and known-flaky entries apply to them as in a real run.
import type { RunningTsServer } from "../../ts-server/server.js";
import { ProcessRuntime } from "../runtime/process.js";
import type { DriverHandle, DriverOptions, PeerRuntime, ServerHandle, ServerOptions } from "../runtime/types.js";

export class ServingRuntime implements PeerRuntime {
  readonly kind = "process" as const;

  constructor(
    private readonly name: string,
    private readonly server: RunningTsServer,
    private readonly inner: PeerRuntime = new ProcessRuntime(),
  ) {}

  async startServer(name: string, options: ServerOptions): Promise<ServerHandle> {
    if (name !== this.name) return this.inner.startServer(name, options);
    const { address, tlsAddress, mtlsAddress } = this.server;
    return { name, address, tlsAddress, mtlsAddress, exitReason: () => undefined, stop: async () => {} };
  }

  runClient(name: string, args: string[], options: DriverOptions): DriverHandle {
    return this.inner.runClient(name, args, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
