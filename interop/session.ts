// A matrix session: plans the cells, starts each selected server once (reused by every cell),
// runs one cell at a time on request, and stops everything at the end.
import type { CaseSpec, Observation } from "./contract.js";
import { judge } from "./comparator.js";
import { loadCases, loadKnownFailing, loadSettings, type CaseDef, type MatrixSettings } from "./fixtures.js";
import { planCells, type Cell, type Filters } from "./plan.js";
import { createRuntime, type RuntimeChoice } from "./runtime/index.js";
import { lastLine, type PeerRuntime, type ServerHandle } from "./runtime/types.js";
import { loadMethods, type MethodEntry } from "../ts-client/registry.js";

export interface SessionOptions {
  /** Test a server that is already running (any language) instead of starting the reference ones. */
  serverAddr?: string;
  /** Use this runtime instead of creating one from the run's choice (tests). */
  runtime?: PeerRuntime;
  /** Judge with the methods of this generated TS code (compat: the client's contract). */
  tsGenDir?: string;
  /** Run these cases instead of fixtures/cases (compat: those the client's contract can call). */
  cases?: CaseDef[];
}

export interface CellOutcome {
  status: "passed" | "failed";
  durationMs: number;
  error?: string;
}

export class MatrixSession {
  private readonly servers = new Map<string, ServerHandle | Error>();

  private constructor(
    readonly cells: Cell[],
    readonly settings: MatrixSettings,
    readonly runtime: PeerRuntime,
    private readonly methods: Map<string, MethodEntry>,
  ) {}

  static async create(filters: Filters, runtime: RuntimeChoice, options: SessionOptions = {}): Promise<MatrixSession> {
    const methods = await loadMethods(options.tsGenDir);
    const cases = options.cases ?? loadCases();
    for (const c of cases) {
      if (!methods.has(c.method)) throw new Error(`${c.file}: case "${c.name}" calls ${c.method}, which no .proto in proto/ defines`);
    }
    const servers = options.serverAddr ? [options.serverAddr] : undefined;
    const cells = planCells(cases, (c) => methods.get(c.method)!.pattern, filters, loadKnownFailing(), servers);
    const session = new MatrixSession(cells, loadSettings(), options.runtime ?? (await createRuntime(runtime)), methods);
    if (options.serverAddr) session.servers.set(options.serverAddr, externalServer(options.serverAddr));
    return session;
  }

  /** Starts the servers the cells need, in parallel. A server that fails to start fails its cells. */
  async startServers(): Promise<void> {
    const names = [...new Set(this.cells.map((c) => c.server))].filter((n) => !this.servers.has(n));
    await Promise.all(
      names.map(async (name) => {
        try {
          this.servers.set(name, await this.runtime.startServer(name, { tickMs: this.settings.server.tickMs, startTimeoutMs: this.settings.serverStartTimeoutMs }));
        } catch (err) {
          this.servers.set(name, err as Error);
        }
      }),
    );
  }

  /** The most a cell may take: the call's deadline plus time for the driver to start and report. */
  cellTimeoutMs(cell: Cell): number {
    return (cell.case.timeoutMs ?? 10_000) + this.settings.cellGraceMs;
  }

  async runCell(cell: Cell): Promise<CellOutcome> {
    const start = performance.now();
    const fail = (error: string): CellOutcome => ({ status: "failed", durationMs: performance.now() - start, error });
    const server = this.servers.get(cell.server);
    if (!server) return fail(`${cell.server} server was not started`);
    if (server instanceof Error) return fail(`${cell.server} server did not start: ${server.message}`);
    if (server.exitReason()) return fail(server.exitReason()!);

    const { name, method, requests, sendIntervalMs, timeoutMs } = cell.case;
    const spec: CaseSpec = { name, method, requests, sendIntervalMs, timeoutMs };
    const limit = this.cellTimeoutMs(cell);
    const run = await this.runtime.runClient(cell.client, server.address, spec, limit);
    const serverNote = server.exitReason() ? `; meanwhile ${server.exitReason()}` : "";
    if (run.timedOut) return fail(`${cell.client} client driver did not finish within ${limit} ms and was killed${serverNote}`);
    if (run.exitCode !== 0) return fail(`${cell.client} client driver failed (exit ${run.exitCode}): ${lastLine(run.stderr)}${serverNote}`);

    let obs: Observation;
    try {
      obs = JSON.parse(run.stdout.trim().split("\n").pop() ?? "");
    } catch {
      return fail(`${cell.client} client driver printed no JSON observation: ${JSON.stringify(run.stdout.slice(0, 200))}`);
    }
    const responseType = this.methods.get(method)!.responseType;
    const differences = judge(cell.case, obs, (m) => responseType.fromJSON(m));
    if (serverNote && differences.length === 0) differences.push(serverNote.slice(2));
    return differences.length ? fail(differences.join("\n")) : { status: "passed", durationMs: performance.now() - start };
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.servers.values()].map((s) => (s instanceof Error ? undefined : s.stop())));
    await this.runtime.close();
  }
}

/** A server someone else runs: the session neither starts nor stops it. */
function externalServer(address: string): ServerHandle {
  return { name: address, address, exitReason: () => undefined, stop: async () => {} };
}
