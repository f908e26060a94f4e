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
import { ROOT, runDescriptorSet } from "../paths.js";
import { peerRegistry } from "../config/registry.js";
import type { ContainerCommand, ContainerCommands } from "../peers.js";
import { OWNER_LABEL, RUN_LABEL, removeContainers, removeOrphans, runContainers, runId as currentRunId } from "./container-cleanup.js";
import { describeExit, PeerTimeout, UntilExit, UntilLine } from "./container-output.js";
import { ProcessRuntime, withPort } from "./process.js";
import { GenericContainer } from "./testcontainers-offline.js";
import { HARNESS_READY, serverArgs, type DriverHandle, type DriverOptions, type DriverRun, type PeerRuntime, type ServerHandle, type ServerOptions } from "./types.js";

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
  private readonly containers = new Set<string>();
  private closing?: Promise<void>;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    // Ryuk is off: without this, Ctrl-C would leave the run's containers running.
    const exit = () => process.exit(signal === "SIGINT" ? 130 : 143);
    withDeadline(this.close(), SIGNAL_CLEANUP_MS, () => new Error("cleanup timed out")).then(exit, exit);
  };

  /** commands and processes default to the real peers; tests pass stand-ins (a crashing server). */
  constructor(
    private readonly images: Partial<PeerImages>,
    readonly runId: string = currentRunId(),
    private readonly commands: ContainerCommands = peerRegistry().containerCommands({ reference: true }),
    private readonly processes = new ProcessRuntime(),
    /** "process" when only declared image: servers run here and every other peer is a process. */
    readonly kind: "container" | "process" = "container",
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

  /** A process run that also has declared image: servers: those run here, the rest as processes. */
  static async forImageServers(): Promise<ContainerRuntime> {
    const orphans = await removeOrphans();
    if (orphans) console.error(`runtime: removed ${orphans} container(s) left by a run that was killed`);
    return new ContainerRuntime({}, currentRunId(), peerRegistry().containerCommands({ reference: false }), new ProcessRuntime(), "process");
  }

  private imageOf(name: string, cmd: ContainerCommand): string {
    const image = cmd.language ? this.images[cmd.language] : cmd.image;
    if (!image) throw new Error(`${name}: no ${cmd.language} peer image was built for this run`);
    return image;
  }

  async startServer(name: string, options: ServerOptions): Promise<ServerHandle> {
    const declared = this.commands.server[name];
    if (!declared) return this.processes.startServer(name, options);
    const startTimeoutMs = declared.startTimeoutMs ?? options.startTimeoutMs;
    const rule = declared.ready ?? HARNESS_READY;
    const { cmd, port } = (declared.harnessFlags ?? true) ? { cmd: declared, port: options.port } : await withPort(declared, options.port);
    const ready = new UntilLine(rule, port, `${name} server`);
    const ids: string[] = [];
    const start = this.container(this.imageOf(name, cmd), `${name}-server`, ids)
      .withCommand([...cmd.args, ...((cmd.harnessFlags ?? true) ? serverArgs(options, { watchStdin: false }) : [])])
      .withEnvironment(cmd.env ?? {})
      .withAddedCapabilities(...(cmd.capabilities ?? []))
      .withWaitStrategy(ready)
      .withStartupTimeout(startTimeoutMs)
      .start();
    const tooLate = () => new PeerTimeout(`${name} server printed no ${rule.what} within ${startTimeoutMs} ms: ${ready.output?.lastErrorLine() ?? "(the container did not start)"}`);
    await withDeadline(start, startTimeoutMs, tooLate).catch(async (err) => {
      await this.remove(ids);
      throw err;
    });

    let exitReason: string | undefined;
    let stopped = false;
    const output = ready.output!;
    void output.exited.then((code) => {
      if (!stopped) exitReason = `${name} server exited (${describeExit(code)}): ${output.stderrTail()}`;
    });
    return {
      name,
      ...ready.found!,
      exitReason: () => exitReason,
      waitForExit: (ms) => Promise.race([output.exited.then(() => exitReason), new Promise<undefined>((r) => setTimeout(r, ms))]),
      stop: async () => {
        stopped = true;
        await this.remove(ids);
      },
    };
  }

  runClient(name: string, args: string[], options: DriverOptions): DriverHandle {
    const cmd = this.commands.client[name];
    if (!cmd) return this.processes.runClient(name, args, options);
    const { timeoutMs, onLine } = options;
    const done = new UntilExit(`${name} client driver`);
    done.onLine = onLine;
    const ids: string[] = [];
    let killed = false;
    let image: string;
    try {
      image = this.imageOf(name, cmd);
    } catch (e) {
      return { done: Promise.resolve({ exitCode: undefined, stdout: "", stderr: (e as Error).message, timedOut: false }), kill: () => {} };
    }
    const run = this.container(image, `${name}-client`, ids)
      .withCommand([...cmd.args, ...args])
      .withEnvironment(cmd.env ?? {})
      .withWaitStrategy(done)
      .withStartupTimeout(timeoutMs)
      .start();
    const result = (async (): Promise<DriverRun> => {
      try {
        await withDeadline(run, timeoutMs, () => new PeerTimeout(`${name} client driver did not finish within ${timeoutMs} ms`));
        return { exitCode: killed ? undefined : done.exitCode, stdout: done.output!.stdout, stderr: done.output!.stderr, timedOut: killed };
      } catch (err) {
        const [stdout, stderr] = [done.output?.stdout ?? "", done.output?.stderr ?? ""];
        if (err instanceof PeerTimeout || killed) return { exitCode: undefined, stdout, stderr, timedOut: true };
        return { exitCode: undefined, stdout, stderr: `${stderr}\n${name} client container failed: ${(err as Error).message.split("\n")[0]}`, timedOut: false };
      } finally {
        await this.remove(ids);
      }
    })();
    return {
      done: result,
      kill: () => {
        killed = true; // a watchdog gave up on it: removing the container ends the wait above
        void this.remove(ids);
      },
    };
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
      .withEnvironment({ INTEROP_DESCRIPTOR_SET: runDescriptorSet() }) // same path inside: the repo is mounted there
      .withWorkingDir(ROOT);
  }
}
