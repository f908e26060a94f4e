// A declared server may be a container image (image:, args:, env:): here the Go image that
// scripts/images.ts builds from this repo, declared as a team would declare its neighbour's.
// It runs with the same ready rule, health check, fresh and cleanup as any server.
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ensurePeerImages } from "../../scripts/images.js";
import { ROOT } from "../paths.js";
import { emptyFilters } from "../plan.js";
import { ContainerRuntime } from "../runtime/container.js";
import { RUN_LABEL } from "../runtime/container-cleanup.js";
import { probeDockerEngine } from "../runtime/docker-engine.js";
import { ProcessRuntime } from "../runtime/process.js";
import type { ServerOptions } from "../runtime/types.js";
import { MatrixSession } from "../session.js";
import { loadRegistry, resetRegistry } from "./registry.js";
import { startServer } from "./start-server.js";

const engine = await probeDockerEngine();
if (!engine.answered && process.env.INTEROP_REQUIRE_DOCKER !== "1") console.warn(`image: server tests SKIPPED: no Docker engine answered at ${engine.where}`);
const withDocker = engine.answered || process.env.INTEROP_REQUIRE_DOCKER === "1" ? describe : describe.skip;

const containersOf = async (runId: string) =>
  String((await execa("docker", ["ps", "-a", "-q", "--filter", `label=${RUN_LABEL}=${runId}`], { timeout: 30_000 })).stdout).split("\n").filter(Boolean);

withDocker("a declared image: server", () => {
  let config: string;
  const previous = process.env.INTEROP_CONFIG;
  beforeAll(async () => {
    const images = await ensurePeerImages();
    const dir = mkdtempSync(join(tmpdir(), "image-config-"));
    config = join(dir, "interop.config.yaml");
    writeFileSync(config, `protos: ${join(ROOT, "proto")}
cases: [${join(ROOT, "fixtures/cases/core.json")}]
servers:
  neighbour:
    image: ${images.go}
    args: ["/usr/local/bin/go-server", "--port", "{port}", "--tick-ms", "50"]
    env: { GODEBUG: "http2debug=0" }
    ready: "^LISTENING (\\\\S+)$"
    fresh: client
    services: [greeter.Greeter, grpc.health.v1.Health]
`);
    process.env.INTEROP_CONFIG = config;
    resetRegistry();
  }, 600_000);
  afterAll(() => {
    if (previous === undefined) delete process.env.INTEROP_CONFIG;
    else process.env.INTEROP_CONFIG = previous;
    resetRegistry();
  });

  const runtimeFor = (runId: string) => {
    const registry = loadRegistry(config);
    return new ContainerRuntime({}, runId, registry.containerCommands({ reference: false }), new ProcessRuntime(registry.processCommands()), "process");
  };

  test("starts as a container on the {port} it was given, passes its health check, and is removed when stopped", async () => {
    const runId = `test-${randomUUID().slice(0, 8)}`;
    const runtime = runtimeFor(runId);
    try {
      const handle = await startServer(runtime, loadRegistry(config).server("neighbour")!, { tickMs: 50, startTimeoutMs: 30_000 });
      expect(handle.address).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(await containersOf(runId)).toHaveLength(1);
      await handle.stop();
      expect(await containersOf(runId)).toEqual([]);
    } finally {
      await runtime.close();
    }
  }, 120_000);

  test("in a matrix, fresh: client gives each client driver its own container; every cell passes; none is left", async () => {
    const runId = `test-${randomUUID().slice(0, 8)}`;
    const runtime = runtimeFor(runId);
    let starts = 0;
    const start = runtime.startServer.bind(runtime);
    runtime.startServer = (name: string, options: ServerOptions) => (starts++, start(name, options));
    const session = await MatrixSession.create({ ...emptyFilters(), server: ["neighbour"], client: ["go", "python"], case: ["unary", "bidi"] }, "process", { runtime });
    try {
      await session.startServers();
      const outcomes = await Promise.all(session.cells.map((c) => session.runCell(c)));
      expect(outcomes.map((o) => o.error ?? o.status)).toEqual(session.cells.map(() => "passed"));
      expect(session.cells).toHaveLength(4);
      expect(starts).toBe(2);
    } finally {
      await session.close();
    }
    expect(await containersOf(runId)).toEqual([]);
  }, 180_000);
});
