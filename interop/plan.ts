// Turns filters (--client/--server/--pattern/--case) into the list of cells to run, and says in
// one line what is wrong with a filter that names nothing real.
import { PATTERNS, type Pattern } from "./contract.js";
import { UsageError } from "./errors.js";
import type { CaseDef, KnownFailing } from "./fixtures.js";
import { globMatch, isGlob } from "./glob.js";
import { peerRegistry, type PeerRegistry } from "./config/registry.js";

/** The peers a plan may use, and which server takes which case (README: Adding a case). */
export interface PlanPeers {
  servers: readonly string[];
  clients: readonly string[];
  /** Whether the server takes the case (serves its service; a stub only with a `stub` block); every case when absent. */
  serves?: (server: string, c: CaseDef) => boolean;
  /** Whether the client runs that kind of case: by method, or grpc's named test case (`testCase`). */
  takes?: (client: string, c: CaseDef) => boolean;
}

/** The run's peers: every server and client of the registry (interop.config.yaml + built-ins). */
export function registryPeers(registry: PeerRegistry = peerRegistry()): PlanPeers {
  const addressServices = [...registry.servers.values()].filter((d) => !d.stub).flatMap((d) => d.services);
  return {
    servers: registry.serverNames,
    clients: registry.clientNames,
    serves: (server, c) => {
      const decl = registry.server(server);
      // --server-addr: taken to serve what any non-stub server serves, so it gets the cases it got
      // before planning by service, not stub-only ones.
      if (!decl) return addressServices.some((g) => globMatch(g, c.method.split("/")[0]));
      const service = c.method.split("/")[0];
      return decl.services.some((g) => globMatch(g, service)) && (!decl.stub || Boolean(c.stub));
    },
    takes: (client, c) => (registry.clients.get(client)?.runs ?? ["methods"]).includes(c.testCase ? "test-cases" : "methods"),
  };
}

/**
 * Whether a case runs on a client -> server pair (README: Adding a case): the server takes it (peers.serves),
 * the client runs that kind of case (peers.takes), and the case's own `servers` / `clients` globs
 * allow the pair.
 */
export function runsOn(c: CaseDef, client: string, server: string, peers: PlanPeers): boolean {
  if (peers.serves && !peers.serves(server, c)) return false;
  if (peers.takes && !peers.takes(client, c)) return false;
  if (c.servers && !c.servers.some((g) => globMatch(g, server))) return false;
  if (c.clients && !c.clients.some((g) => globMatch(g, client))) return false;
  return true;
}

export interface Filters {
  client: string[];
  server: string[];
  pattern: string[];
  case: string[];
  /** Case categories (the fixture files' "category": core, status, metadata, ...). */
  category: string[];
}

export interface Cell {
  /** "go -> ts | server-streaming": the vitest test name and the report's key. */
  id: string;
  client: string;
  server: string;
  pattern: Pattern;
  case: CaseDef;
  knownFailing?: KnownFailing;
  knownFlaky?: KnownFailing;
  /** The cell's place in the whole plan (before --shard): reports list cells in this order. */
  seq: number;
}

export const emptyFilters = (): Filters => ({ client: [], server: [], pattern: [], case: [], category: [] });

export const cellId = (client: string, server: string, caseName: string) => `${client} -> ${server} | ${caseName}`;

function checkNames(flag: string, given: string[], valid: readonly string[]) {
  for (const name of given) {
    if (!valid.includes(name)) throw new UsageError(`unknown ${flag} "${name}": choose from ${valid.join(", ")}`);
  }
}

/**
 * patternOfCase maps a case to its RPC pattern (from the generated method registry).
 * peers defaults to the registry's; --server-addr replaces the servers with its address.
 */
export function planCells(
  cases: CaseDef[],
  patternOfCase: (c: CaseDef) => Pattern,
  filters: Filters,
  known: KnownFailing[] = [],
  peers: PlanPeers = registryPeers(),
  flaky: KnownFailing[] = [],
): Cell[] {
  const { servers, clients } = peers;
  checkNames("--client", filters.client, clients);
  checkNames("--server", filters.server, servers);
  checkNames("--pattern", filters.pattern, PATTERNS);
  checkNames("--category", filters.category ?? [], [...new Set(cases.map((c) => c.category))]);
  for (const glob of filters.case) {
    if (!cases.some((c) => globMatch(glob, c.name))) {
      const what = isGlob(glob) ? `no case matches --case "${glob}"` : `unknown --case "${glob}"`;
      throw new UsageError(`${what}: cases are ${cases.map((c) => c.name).join(", ")}`);
    }
  }
  const pick = <T extends string>(all: readonly T[], chosen: string[]) => all.filter((x) => chosen.length === 0 || chosen.includes(x));
  const selected = cases.filter(
    (c) =>
      (filters.case.length === 0 || filters.case.some((g) => globMatch(g, c.name))) &&
      (filters.pattern.length === 0 || filters.pattern.includes(patternOfCase(c))) &&
      (!filters.category?.length || filters.category.includes(c.category)),
  );
  if (selected.length === 0) throw new UsageError("the filters select no case: loosen --pattern/--case");
  const cells: Cell[] = [];
  for (const c of selected) {
    for (const client of pick(clients, filters.client)) {
      for (const server of pick(servers, filters.server)) {
        if (!runsOn(c, client, server, peers)) continue;
        const listed = (list: KnownFailing[]) => list.find((k) => globMatch(k.client, client) && globMatch(k.server, server) && globMatch(k.case, c.name));
        cells.push({ id: cellId(client, server, c.name), client, server, pattern: patternOfCase(c), case: c, knownFailing: listed(known), knownFlaky: listed(flaky), seq: cells.length });
      }
    }
  }
  if (cells.length === 0) throw new UsageError("the filters select no cell: the selected cases run on no selected client -> server pair (see their service, `stub`, `servers` and `clients`)");
  return cells;
}

