// The container runtime leaves no container behind: after a passing run, a failed cell, a
// crashing peer, and Ctrl-C or SIGTERM in the middle of a matrix. Checked with `docker ps -a`
// and the run's label, independently of the runtime's own bookkeeping.
//
// Without a Docker engine these tests are skipped with a printed reason, unless
// INTEROP_REQUIRE_DOCKER=1 (CI), where a missing engine is a failure.
import { randomUUID } from "node:crypto";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensurePeerImages, type PeerImages } from "../../scripts/images.js";
import type { CaseSpec } from "../contract.js";
import { ROOT } from "../paths.js";
import { REFERENCE_CONTAINER_COMMANDS } from "../peers.js";
import { emptyFilters } from "../plan.js";
import { commandLine, processGroup } from "../proc.js";
import { MatrixSession } from "../session.js";
import { probeDockerEngine } from "./docker-engine.js";
import { RUN_LABEL } from "./container-cleanup.js";
import { ContainerRuntime } from "./container.js";
import { checkGoServerCrashMidRun, CRASH_CHECK_CASES } from "./lifecycle-checks.js";

const engine = await probeDockerEngine();
const required = process.env.INTEROP_REQUIRE_DOCKER === "1";
if (!engine.answered && !required) {
  console.warn(`container runtime tests SKIPPED: no Docker engine answered at ${engine.where} (${engine.problem}); start one with \`bash scripts/start-docker.sh\`, and set INTEROP_REQUIRE_DOCKER=1 to make this a failure`);
}
const withDocker = engine.answered ? describe : describe.skip;

// In CI a missing engine is a failed test, never a silent skip.
if (required) {
  test("a Docker engine answers (INTEROP_REQUIRE_DOCKER=1)", () => {
    expect(engine.answered, `INTEROP_REQUIRE_DOCKER=1 but no Docker engine answered at ${engine.where} (${engine.problem})`).toBe(true);
  });
}

const newRunId = () => `test-${randomUUID().slice(0, 8)}`;
/** Ids of the run's containers, running or not, as `docker ps -a` sees them. */
async function containersOf(runId: string, peer?: string): Promise<string[]> {
  const filters = ["--filter", `label=${RUN_LABEL}=${runId}`, ...(peer ? ["--filter", `label=grpc-interop.peer=${peer}`] : [])];
  const r = await execa("docker", ["ps", "-a", "-q", ...filters], { timeout: 30_000 });
  return String(r.stdout).split("\n").filter(Boolean);
}
const unary: CaseSpec = { name: "x", method: "greeter.Greeter/SayHello", requests: [{ name: "you" }], timeoutMs: 5000 };
const options = { tickMs: 50, startTimeoutMs: 5000 };

withDocker("container runtime", () => {
  let images: PeerImages;
  beforeAll(async () => {
    images = await ensurePeerImages();
  }, 600_000);

  test("a passing run: every container is removed by close()", async () => {
    const runtime = new ContainerRuntime(images, newRunId());
    const session = await MatrixSession.create({ ...emptyFilters(), client: ["go", "python"], server: ["go", "python"], case: ["unary"] }, "container", { runtime });
    await session.startServers();
    expect(await containersOf(runtime.runId)).toHaveLength(2);
    const outcomes = await Promise.all(session.cells.map((cell) => session.runCell(cell)));
    for (const outcome of outcomes) expect(outcome).toMatchObject({ status: "passed" });
    await session.startBatches(); // settled: every pair's driver container has exited
    // Drivers are one-shot, one per client -> server pair: once they are done, only the servers remain.
    expect(await containersOf(runtime.runId)).toHaveLength(2);
    await session.close();
    expect(await containersOf(runtime.runId)).toEqual([]);
  }, 60_000);

  test("a failed cell removes its driver container; close() removes the servers", async () => {
    const runtime = new ContainerRuntime(images, newRunId());
    const session = await MatrixSession.create({ ...emptyFilters(), client: ["python"], server: ["go"], case: ["unary"] }, "container", { runtime });
    await session.startServers();
    const [cell] = session.cells;
    const wrong = { ...cell, case: { ...cell.case, expect: { ...cell.case.expect, responses: [{ message: "Goodbye you" }] } } };
    const outcome = await session.runCell(wrong);
    expect(outcome.status).toBe("failed");
    expect(await containersOf(runtime.runId, "python-client")).toEqual([]);
    await session.close();
    expect(await containersOf(runtime.runId)).toEqual([]);
  }, 60_000);

  test("a driver that hangs is killed at the cell timeout and its container removed", async () => {
    const hangs = { language: "python" as const, args: ["python", "-c", "import time; time.sleep(60)"] };
    const runtime = new ContainerRuntime(images, newRunId(), { server: {}, client: { hangs } });
    const t0 = Date.now();
    const run = await runtime.runClient("hangs", ["--addr", "127.0.0.1:1", "--case-json", JSON.stringify(unary)], { timeoutMs: 1500 }).done;
    expect(run.timedOut).toBe(true);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(await containersOf(runtime.runId)).toEqual([]);
    await runtime.close();
  }, 30_000);

  describe("a crashing peer", () => {
    const crashes = { language: "python" as const, args: ["python", "-c", "import sys; print('boom: config missing', file=sys.stderr); sys.exit(3)"] };
    const silent = { language: "python" as const, args: ["python", "-c", "import time; time.sleep(60)"] };
    let runtime: ContainerRuntime;
    beforeAll(() => void (runtime = new ContainerRuntime(images, newRunId(), { server: { crashes, silent }, client: {} })));
    afterAll(() => runtime.close());

    test("a server that exits before it is ready fails with its last stderr line, and is removed", async () => {
      await expect(runtime.startServer("crashes", options)).rejects.toThrow("crashes server exited (code 3): boom: config missing (before it was ready)");
      expect(await containersOf(runtime.runId)).toEqual([]);
    }, 30_000);

    test("a server that never prints LISTENING is removed at the start timeout", async () => {
      const t0 = Date.now();
      await expect(runtime.startServer("silent", { ...options, startTimeoutMs: 1500 })).rejects.toThrow("silent server printed no LISTENING line within 1500 ms");
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(await containersOf(runtime.runId)).toEqual([]);
    }, 30_000);
  });

  test("a server that crashes mid-run fails its later cells with the reason; close() leaves no container", async () => {
    const runtime = new ContainerRuntime(images, newRunId());
    const session = await MatrixSession.create({ ...emptyFilters(), client: ["go"], server: ["go", "python"], case: CRASH_CHECK_CASES }, "container", { runtime });
    await session.startServers();
    await checkGoServerCrashMidRun(session, async () => {
      await execa("docker", ["kill", ...(await containersOf(runtime.runId, "go-server"))], { timeout: 30_000 });
    });
    await session.close();
    expect(await containersOf(runtime.runId)).toEqual([]);
  }, 60_000);

  describe("interrupting a container run", () => {
    // As in cli.test.ts: Ctrl-C signals the whole process group, `kill` one pid.
    test.each([
      ["SIGINT to the process group (Ctrl-C)", "SIGINT", true],
      ["SIGTERM to the CLI alone", "SIGTERM", false],
    ] as const)("%s leaves no container", async (_name, signal, wholeGroup) => {
      const runId = newRunId();
      const child = execa(process.execPath, ["--import", "tsx", "interop/cli.ts", "--runtime", "container"], {
        cwd: ROOT, reject: false, detached: true, timeout: 90_000, env: { INTEROP_RUN_ID: runId },
      });
      // Mid-matrix: both reference servers are up and at least one driver container exists.
      const clientPeers = Object.keys(REFERENCE_CONTAINER_COMMANDS.client).map((c) => `${c}-client`);
      const midMatrix = async () => {
        const [servers, clients] = [await containersOf(runId, undefined), (await Promise.all(clientPeers.map((p) => containersOf(runId, p)))).flat()];
        return servers.length > clients.length + 1 && clients.length > 0;
      };
      const deadline0 = Date.now() + 60_000;
      while (!(await midMatrix()) && Date.now() < deadline0) await new Promise((r) => setTimeout(r, 100));
      expect(await containersOf(runId)).not.toEqual([]);
      process.kill(wholeGroup ? -child.pid! : child.pid!, signal);
      const r = await child;
      expect(r.exitCode ?? r.signal).not.toBe(0);
      expect(await containersOf(runId)).toEqual([]);
      // The TS peers are processes even here: they go too, after their own short shutdown.
      const deadline = Date.now() + 5000;
      while (processGroup(child.pid!).length > 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
      expect(processGroup(child.pid!).map(commandLine)).toEqual([]);
    }, 120_000);
  });
});
