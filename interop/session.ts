// A matrix session: plans the cells, starts each selected server once (reused by every cell), or
// once per client driver for a `fresh: client` server, runs each client -> server pair as one
// driver batch (interop/batch.ts), and judges each cell with the comparator as its observation
// arrives. Peers come from the registry (interop.config.yaml + built-ins), never by name.
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBatch, type BatchItem, type BatchResult, type BatchTarget } from "./batch.js";
import { judge } from "./comparator.js";
import type { CaseSpec, Observation } from "./contract.js";
import { checkCases, loadCases, loadKnownFailing, loadKnownFlaky, loadSettings, type CaseDef, type KnownFailing, type MatrixSettings } from "./fixtures.js";
import { applyKnownFailing, explain, otherFailure } from "./known.js";
import { Slots } from "./limit.js";
import { observationProblems } from "./observation-check.js";
import { BUILD_DIR } from "./paths.js";
import { peerRegistry, type PeerRegistry } from "./config/registry.js";
import { startServer } from "./config/start-server.js";
import { planCells, registryPeers, type Cell, type Filters } from "./plan.js";
import { selectShard, type Shard } from "./shard.js";
import { createRuntime, type RuntimeChoice } from "./runtime/index.js";
import type { PeerRuntime, ServerHandle } from "./runtime/types.js";
import { connectionFor, SERVER_TLS } from "./transport.js";
import { WireTap } from "./wire-tap.js";
import { descriptorSetPath, loadContract } from "../ts-client/driver-kit/contract.js";

/** How long GetCallReport may wait for a stub's record when the case did not say (expect.received). */
const RECEIVED_REPORT_WAIT_MS = 1000;

export interface SessionOptions {
  /** Test a server that is already running (any language) instead of starting the reference ones. */
  serverAddr?: string;
  /** Use this runtime instead of creating one from the run's choice (tests). */
  runtime?: PeerRuntime;
  /** Plan with the methods of this descriptor set (compat: the client's contract). */
  descriptorSet?: string;
  /** Run these cases instead of fixtures/cases (compat: those the client's contract can call). */
  cases?: CaseDef[];
  /** Use these known-failing / known-flaky lists instead of fixtures/known-*.json (tests). */
  known?: { failing?: KnownFailing[]; flaky?: KnownFailing[] };
  /** --shard i/n: only this shard's client -> server pairs. */
  shard?: Shard;
}

export interface CellOutcome {
  /** known-failing: failed exactly as its known-failing (or twice as its known-flaky) entry documents. */
  status: "passed" | "failed" | "known-failing";
  durationMs: number;
  error?: string;
  /** Set when a known-flaky cell failed once and was run again. */
  retried?: string;
  /** What passed but is worth a look (e.g. metadata folded into one value, as the spec permits). */
  notes?: string[];
  /** The entry's reason, when the cell is known-failing. */
  knownFailingReason?: string;
  /** The difference the cell's entry documents, when a listed cell did not simply pass. */
  documentedDifference?: string[];
}

export class MatrixSession {
  /** Server instances by instanceKey(): one per server, or per client -> server pair for fresh: client. */
  private readonly servers = new Map<string, ServerHandle | Error>();
  /** Instances stopped on purpose (a fresh: client server after its pair): their exit is no failure. */
  private readonly retired = new Set<string>();
  /** Wire taps in front of servers, for cells with transport "tap", by server name. */
  private readonly taps = new Map<string, WireTap | Error>();
  private readonly results = new Map<string, Promise<BatchResult>>();
  private readonly settlers = new Map<string, (r: BatchResult) => void>();
  private batches?: Promise<void>;
  private readonly runId = `${process.pid}-${randomBytes(3).toString("hex")}`;
  private readonly workDir = join(BUILD_DIR, "runs", this.runId);

  private constructor(
    readonly cells: Cell[],
    readonly settings: MatrixSettings,
    readonly runtime: PeerRuntime,
    private readonly registry: PeerRegistry,
    /** How many cells the whole plan has (more than `cells` when this is one shard). */
    readonly plannedCount = cells.length,
  ) {
    for (const cell of cells) this.results.set(cell.id, new Promise((resolve) => this.settlers.set(cell.id, resolve)));
  }

  static async create(filters: Filters, runtime: RuntimeChoice, options: SessionOptions = {}): Promise<MatrixSession> {
    const contract = loadContract(descriptorSetPath(options.descriptorSet));
    const registry = peerRegistry();
    const cases = options.cases ?? loadCases(registry.config.cases);
    checkCases(cases, contract); // unknown methods and invalid requests: one line before anything starts
    const peers = options.serverAddr ? { ...registryPeers(registry), servers: [options.serverAddr] } : registryPeers(registry);
    const known = { failing: options.known?.failing ?? loadKnownFailing(), flaky: options.known?.flaky ?? loadKnownFlaky() };
    const planned = planCells(cases, (c) => contract.methods.get(c.method)!.pattern, filters, known.failing, peers, known.flaky);
    const cells = options.shard ? selectShard(planned, options.shard) : planned;
    const imageServers = cells.some((c) => registry.server(c.server)?.containerOnly);
    const session = new MatrixSession(cells, loadSettings(), options.runtime ?? (await createRuntime(runtime, { imageServers })), registry, planned.length);
    if (options.serverAddr) session.servers.set(options.serverAddr, externalServer(options.serverAddr));
    return session;
  }

  /** A fresh: client server has one instance per client driver; any other, one per run. */
  private instanceKey(server: string, client: string): string {
    return this.registry.server(server)?.fresh === "client" ? `${server}\0${client}` : server;
  }

  /** Starts one instance of a server; a server that fails to start is kept as its Error. */
  private async startInstance(server: string): Promise<ServerHandle | Error> {
    const decl = this.registry.server(server);
    if (!decl) return new Error(`${server} is no server of ${this.registry.config.shown}`);
    const options = { tickMs: this.settings.server.tickMs, startTimeoutMs: this.settings.serverStartTimeoutMs, tls: SERVER_TLS };
    return startServer(this.runtime, decl, decl.stub ? { ...options, stubsFile: this.stubsFile() } : options).catch((err: Error) => err);
  }

  /** Each once-per-run server's start (and its wire tap's), by name: a pair waits for its own server only. */
  private readonly starting = new Map<string, Promise<void>>();

  /**
   * Starts the once-per-run servers the cells need, in parallel; resolves when all are up. A pair
   * does not wait for this: it starts as soon as its own server is up (runPair). A server that
   * fails to start fails its cells.
   */
  startServers(): Promise<void> {
    const names = [...new Set(this.cells.map((c) => c.server))].filter((n) => this.registry.server(n)?.fresh !== "client");
    for (const name of names) {
      if (this.starting.has(name)) continue;
      // An external server (--server-addr) is there already: it only gets its wire tap.
      const external = this.servers.has(name);
      this.starting.set(name, (async () => {
        if (!external) this.servers.set(name, await this.startInstance(name));
        await this.startTap(name);
      })());
    }
    return Promise.all(this.starting.values()).then(() => undefined);
  }

  private stubs?: string;
  private stubsFile(): string {
    this.stubs ??= this.writeStubsFile();
    return this.stubs;
  }

  /** A wire tap in front of the server, if it has cells with transport "tap". */
  private async startTap(name: string): Promise<void> {
    const server = this.servers.get(name);
    if (!this.cells.some((c) => c.server === name && c.case.transport === "tap")) return;
    if (!server || server instanceof Error || this.taps.has(name)) return;
    this.taps.set(name, await WireTap.start(server.address).catch((e: Error) => e));
  }

  /** The stubs file (README: Any contract): every case's stub block by case name, in the run's work dir (containers see it too). */
  private writeStubsFile(): string {
    const stubs = Object.fromEntries(this.cells.filter((c) => c.case.stub).map((c) => [c.case.name, c.case.stub]));
    mkdirSync(this.workDir, { recursive: true });
    const file = join(this.workDir, "stubs.json");
    writeFileSync(file, JSON.stringify(stubs));
    return file;
  }

  /** The case's call report request: its own, or one made for expect.received. */
  private callReportOf(c: CaseDef): { waitMs: number } | undefined {
    return c.callReport ?? (c.expect.received ? { waitMs: RECEIVED_REPORT_WAIT_MS } : undefined);
  }

  /** The most one case may take: its deadline, the call report's wait, and time to report. */
  caseLimitMs(cell: Cell): number {
    return (cell.case.timeoutMs ?? 10_000) + (this.callReportOf(cell.case)?.waitMs ?? 0) + this.settings.cellGraceMs;
  }

  /** A bound on how long a cell's test may wait: every case of the run, one after another. */
  runLimitMs(): number {
    return this.cells.reduce((t, c) => t + this.caseLimitMs(c), 0) + this.settings.serverStartTimeoutMs;
  }

  /**
   * Starts every pair's batch, `concurrency` pairs at a time; each cell settles as its line
   * arrives. Pairs with the most cells take the first slots (longest first: a long pair started
   * last would end the run alone); a pair whose server is still starting waits in its slot.
   */
  startBatches(): Promise<void> {
    this.batches ??= (async () => {
      void this.startServers(); // a no-op when the run already started them
      const pairs = new Map<string, Cell[]>();
      for (const cell of this.cells) pairs.set(`${cell.client}\0${cell.server}`, [...(pairs.get(`${cell.client}\0${cell.server}`) ?? []), cell]);
      const longestFirst = [...pairs.values()].sort((a, b) => b.length - a.length);
      const slots = new Slots(this.settings.concurrency);
      await Promise.all(
        longestFirst.map((cells) =>
          slots.run(async () => {
            await this.starting.get(cells[0].server);
            await this.runPair(cells);
          }),
        ),
      );
    })();
    return this.batches;
  }

  private async runPair(cells: Cell[]): Promise<void> {
    const key = this.instanceKey(cells[0].server, cells[0].client);
    if (key !== cells[0].server) {
      // fresh: client: this driver gets an instance of its own, stopped when its cases are done.
      this.servers.set(key, await this.startInstance(cells[0].server));
      try {
        await this.runPairOn(cells, key);
      } finally {
        await this.retire(key);
      }
      return;
    }
    await this.runPairOn(cells, key);
  }

  private async retire(key: string): Promise<void> {
    const server = this.servers.get(key);
    this.retired.add(key);
    if (server && !(server instanceof Error)) await server.stop();
  }

  private async runPairOn(cells: Cell[], key: string): Promise<void> {
    const server = this.servers.get(key);
    const items: BatchItem[] = [];
    for (const cell of cells) {
      const spec = this.specFor(cell, server);
      if ("error" in spec) this.settle(cell.id, spec);
      else items.push({ id: cell.id, spec, limitMs: this.caseLimitMs(cell) });
    }
    if (items.length === 0 || !(server && !(server instanceof Error))) return;
    await runBatch(
      this.batchTarget(cells[0].client, server),
      items,
      (id, result) => this.settle(id, result),
    );
  }

  /** Where a client's driver batch runs: against this server, files in the run's work dir. */
  private batchTarget(client: string, server: ServerHandle): BatchTarget {
    return { runtime: this.runtime, client, address: server.address, workDir: this.workDir, serverGone: () => server.exitReason() };
  }

  private settle(id: string, result: BatchResult) {
    this.settlers.get(id)?.(result);
  }

  /** The driver-facing case for a cell: where to call, with what TLS, under which report tag. */
  private specFor(cell: Cell, server: ServerHandle | Error | undefined): CaseSpec | { error: string } {
    if (!server) return { error: `${cell.server} server was not started` };
    if (server instanceof Error) return { error: `${cell.server} server did not start: ${server.message}` };
    if (server.exitReason()) return { error: server.exitReason()! };
    const tap = this.taps.get(cell.server);
    if (cell.case.transport === "tap" && !(tap instanceof WireTap)) return { error: `no wire tap in front of ${cell.server}: ${tap?.message ?? "not started"}` };
    const connection = cell.case.transport === "tap" ? { address: (tap as WireTap).address } : connectionFor(server, cell.case.transport);
    if ("error" in connection) return connection;
    const { category: _c, expect: _e, file: _f, transport: _t, callReport: _r, stub: _s, servers: _sv, clients: _cl, $comment: _m, ...spec } = cell.case as typeof cell.case & { $comment?: string };
    const callReport = this.callReportOf(cell.case);
    // A stub answers a call by the case its x-interop-stub header names.
    const metadata = this.registry.server(cell.server)?.stub ? { ...spec.metadata, "x-interop-stub": [cell.case.name] } : spec.metadata;
    return { ...spec, metadata, ...connection, callReport: callReport && { tag: `${this.runId}/${cell.id}`, waitMs: callReport.waitMs } };
  }

  /** What the cell's driver observed (npm run compat reads a stub's record of what it received). */
  observationOf(cellId: string): Promise<BatchResult> | undefined {
    return this.results.get(cellId);
  }

  /**
   * Runs (or joins) the cell's batch, judges what its driver observed, then applies the cell's
   * entries: a known-failing cell must fail exactly as documented; a known-flaky one that fails
   * as documented runs once more on its own, and any other failure is a plain failure.
   */
  async runCell(cell: Cell): Promise<CellOutcome> {
    void this.startBatches();
    const outcome = await this.judge(cell, await this.results.get(cell.id)!);
    if (cell.knownFailing) return { ...outcome, ...applyKnownFailing(cell.knownFailing, outcome as { status: "passed" | "failed" }) };
    if (outcome.status === "passed" || !cell.knownFlaky) return outcome;
    const flaky = cell.knownFlaky;
    const first = explain(flaky, outcome.error);
    if (!first.explained) return { ...outcome, error: otherFailure(flaky, outcome.error, first, "known-flaky"), documentedDifference: flaky.difference };
    // Failed as documented: one more try, on its own; it passes only if the retry passes. A fresh:
    // client server gets a new instance for it.
    const key = this.instanceKey(cell.server, cell.client);
    const retryKey = key === cell.server ? key : `${key}\0retry:${cell.id}`;
    if (retryKey !== key) this.servers.set(retryKey, await this.startInstance(cell.server));
    const server = this.servers.get(retryKey);
    const spec = this.specFor(cell, server);
    let retry: BatchResult = { error: "retry did not run" };
    try {
      if ("error" in spec || !server || server instanceof Error) return outcome;
      await runBatch(
        this.batchTarget(cell.client, server),
        [{ id: cell.id, spec, limitMs: this.caseLimitMs(cell) }],
        (_id, r) => (retry = r),
      );
    } finally {
      if (retryKey !== key) await this.retire(retryKey);
    }
    const second = await this.judge(cell, retry);
    const retried = `known-flaky (${flaky.reason}); first try: ${outcome.error}`;
    if (second.status === "passed") return { ...second, retried };
    const again = explain(flaky, second.error);
    if (!again.explained) return { ...second, retried, error: otherFailure(flaky, second.error, again, "known-flaky"), documentedDifference: flaky.difference };
    // Failed twice as documented: reported as known-failing under the flaky entry's reason.
    return { ...second, retried, status: "known-failing", knownFailingReason: `known-flaky, failed twice: ${flaky.reason}`, documentedDifference: flaky.difference };
  }

  private async judge(cell: Cell, result: BatchResult): Promise<CellOutcome> {
    const outcome = this.compare(cell, result);
    if (outcome.status === "passed") return outcome;
    // A failure seen as the server dies says so: the cause is rarely in the difference itself.
    // A dying server's exit can be noticed a moment after its client saw the connection drop.
    const key = this.instanceKey(cell.server, cell.client);
    const server = this.retired.has(key) ? undefined : this.servers.get(key);
    const gone = server && !(server instanceof Error) ? (server.exitReason() ?? (await server.waitForExit?.(300))) : undefined;
    if (outcome.status === "failed" && gone && !this.retired.has(key) && !outcome.error?.includes(gone)) outcome.error += `\nmeanwhile ${gone}`;
    return outcome;
  }

  private compare(cell: Cell, result: BatchResult): CellOutcome {
    if ("error" in result) return { status: "failed", durationMs: 0, error: result.error };
    const obs = this.withWireRecord(cell, result.observation);
    // A driver line of the wrong shape is the driver's fault, named field by field (a driver's own
    // error observation is the comparator's first difference).
    const problems = observationProblems(obs);
    if (problems.length) {
      return { status: "failed", durationMs: 0, error: `${cell.client} client driver printed an observation that does not fit interop/contract.ts: ${problems.join("; ")}` };
    }
    const notes: string[] = [];
    const differences = judge(cell.case, obs, notes);
    const noted = notes.length ? { notes } : {};
    return differences.length ? { status: "failed", durationMs: obs.durationMs, error: differences.join("\n"), ...noted } : { status: "passed", durationMs: obs.durationMs, ...noted };
  }

  /** For a call through the wire tap: the tap's record goes into its CallReport (fields 7-10). */
  private withWireRecord(cell: Cell, obs: Observation): Observation {
    const tap = this.taps.get(cell.server);
    if (cell.case.transport !== "tap" || !(tap instanceof WireTap) || !obs.callReport) return obs;
    const record = tap.record(`${this.runId}/${cell.id}`);
    return { ...obs, callReport: { ...(obs.callReport as object), ...(record ?? { wireTap: "saw no call with this tag" }) } };
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.taps.values()].map((t) => (t instanceof WireTap ? t.close() : undefined)));
    await Promise.allSettled([...this.servers.values()].map((s) => (s instanceof Error ? undefined : s.stop())));
    await this.runtime.close();
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

/** A server someone else runs: the session neither starts nor stops it. */
function externalServer(address: string): ServerHandle {
  return { name: address, address, exitReason: () => undefined, stop: async () => {} };
}
