// Peer lifecycle with containers, through testcontainers-node run offline: the Go and Python
// servers and client drivers run from the images of scripts/images.ts; the TS server and client,
// the code under test on the host, stay local processes (a ProcessRuntime inside).
//
// Containers use host networking, so servers listen on 127.0.0.1 with port 0 exactly as
// processes do and print LISTENING host:port; drivers reach any server at the same address.
// The repository is mounted read-only at its own absolute path, so path arguments (certificates,
// fixtures) mean the same inside a container as outside. Servers get no --watch-stdin: nothing
// holds a container's stdin, so labels and cleanup take that role (container-cleanup.ts).
import { ensurePeerImages, type PeerImages } from "../../scripts/images.js";
import type { CaseSpec } from "../contract.js";
import { ROOT } from "../paths.js";
import { CONTAINER_COMMANDS } from "../peers.js";
import { OWNER_LABEL, RUN_LABEL, removeContainers, removeOrphans, runContainers, runId as currentRunId } from "./container-cleanup.js";
import { describeExit, PeerTimeout, UntilExit, UntilLine } from "./container-output.js";
import { ProcessRuntime } from "./process.js";
import { GenericContainer } from "./testcontainers-offline.js";
import type { DriverRun, PeerRuntime, ServerHandle, ServerOptions } from "./types.js";

const READY = /^LISTENING (\S+)$/m;
const SIGNAL_CLEANUP_MS = 10_000;

/** A GenericContainer that reports its id the moment it is created, so none escapes cleanup. */
class TrackedContainer extends GenericContainer {
  constructor(image: string, private readonly onCreated: (id: string) => void) {
    super(image);
  }
  protected override async containerCreated(id: string): Promise<void> {
    this.onCreated(id);
  }
}

/** Rejects with onTimeout() after ms; the late promise's own failure is then ignored. */
function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(onTimeout()), ms)));
  work.catch(() => {});
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

export class ContainerRuntime implements PeerRuntime {
  readonly kind = "container" as const;
  private readonly containers = new Set<string>();
  private closing?: Promise<void>;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    // Ryuk is off: without this, Ctrl-C would leave the run's containers running.
    const exit = () => process.exit(signal === "SIGINT" ? 130 : 143);
    withDeadline(this.close(), SIGNAL_CLEANUP_MS, () => new Error("cleanup timed out")).then(exit, exit);
  };

  /** commands and processes default to the real peers; tests pass stand-ins (a crashing server). */
  constructor(
    private readonly images: PeerImages,
    readonly runId: string = currentRunId(),
    private readonly commands = CONTAINER_COMMANDS,
    private readonly processes = new ProcessRuntime(),
  ) {
    process.once("SIGINT", this.onSignal);
    process.once("SIGTERM", this.onSignal);
  }

  /** Removes what killed runs left behind, builds or finds the peer images, and starts nothing yet. */
  static async create(): Promise<ContainerRuntime> {
    const orphans = await removeOrphans();
    if (orphans) console.error(`runtime: removed ${orphans} container(s) left by a run that was killed`);
    return new ContainerRuntime(await ensurePeerImages());
  }

  async startServer(name: string, options: ServerOptions): Promise<ServerHandle> {
    const cmd = this.commands.server[name];
    if (!cmd) return this.processes.startServer(name, options);
    const { tickMs, startTimeoutMs } = options;
    const ready = new UntilLine(READY, `${name} server`);
    const ids: string[] = [];
    const start = this.container(this.images[cmd.image], `${name}-server`, ids)
      .withCommand([...cmd.args, "--tick-ms", String(tickMs)])
      .withWaitStrategy(ready)
      .withStartupTimeout(startTimeoutMs)
      .start();
    const tooLate = () => new PeerTimeout(`${name} server printed no LISTENING line within ${startTimeoutMs} ms: ${ready.output?.lastErrorLine() ?? "(the container did not start)"}`);
    await withDeadline(start, startTimeoutMs, tooLate).catch(async (err) => {
      await this.remove(ids);
      throw err;
    });

    let exitReason: string | undefined;
    let stopped = false;
    const output = ready.output!;
    void output.exited.then((code) => {
      if (!stopped) exitReason = `${name} server exited (${describeExit(code)}): ${output.lastErrorLine()}`;
    });
    return {
      name,
      address: ready.match![1],
      exitReason: () => exitReason,
      stop: async () => {
        stopped = true;
        await this.remove(ids);
      },
    };
  }

  async runClient(name: string, address: string, spec: CaseSpec, timeoutMs: number): Promise<DriverRun> {
    const cmd = this.commands.client[name];
    if (!cmd) return this.processes.runClient(name, address, spec, timeoutMs);
    const done = new UntilExit(`${name} client driver`);
    const ids: string[] = [];
    const run = this.container(this.images[cmd.image], `${name}-client`, ids)
      .withCommand([...cmd.args, "--addr", address, "--case-json", JSON.stringify(spec)])
      .withWaitStrategy(done)
      .withStartupTimeout(timeoutMs)
      .start();
    try {
      await withDeadline(run, timeoutMs, () => new PeerTimeout(`${name} client driver did not finish within ${timeoutMs} ms`));
      return { exitCode: done.exitCode, stdout: done.output!.stdout, stderr: done.output!.stderr, timedOut: false };
    } catch (err) {
      const [stdout, stderr] = [done.output?.stdout ?? "", done.output?.stderr ?? ""];
      if (err instanceof PeerTimeout) return { exitCode: undefined, stdout, stderr, timedOut: true };
      return { exitCode: undefined, stdout, stderr: `${stderr}\n${name} client container failed: ${(err as Error).message.split("\n")[0]}`, timedOut: false };
    } finally {
      await this.remove(ids);
    }
  }

  /** Removes every container this runtime started and stops its processes. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      process.off("SIGINT", this.onSignal);
      process.off("SIGTERM", this.onSignal);
      await Promise.allSettled([this.processes.close(), this.remove([...this.containers])]);
      // A container created while close() ran is not in the set yet: look it up by label.
      const left = await runContainers(this.runId, { [OWNER_LABEL]: String(process.pid) }).catch(() => []);
      await removeContainers(left);
    })();
    return this.closing;
  }

  private async remove(ids: string[]): Promise<void> {
    await removeContainers(ids);
    for (const id of ids) this.containers.delete(id);
  }

  private container(image: string, peer: string, ids: string[]): GenericContainer {
    return new TrackedContainer(image, (id) => {
      ids.push(id);
      this.containers.add(id);
      // Created after close() began: it must not outlive the runtime.
      if (this.closing) void removeContainers([id]);
    })
      .withNetworkMode("host")
      .withLabels({ [RUN_LABEL]: this.runId, [OWNER_LABEL]: String(process.pid), "grpc-interop.peer": peer })
      .withBindMounts([{ source: ROOT, target: ROOT, mode: "ro" }])
      .withWorkingDir(ROOT);
  }
}
