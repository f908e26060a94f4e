// Turns filters (--client/--server/--pattern/--case) into the list of cells to run, and says in
// one line what is wrong with a filter that names nothing real.
import { PATTERNS, type Pattern } from "./contract.js";
import { UsageError } from "./errors.js";
import type { CaseDef, KnownFailing } from "./fixtures.js";
import { globMatch, isGlob } from "./glob.js";
import { CLIENT_RUNS, isStubServer, MATRIX_CLIENTS, MATRIX_SERVERS, SERVER_SERVICES } from "./peers.js";

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
 * Whether a case runs on a pair (design §5): the client runs that kind of case (by method, or
 * grpc's named test case: interop/peers.ts CLIENT_RUNS), the server serves the case's service (a
 * server not declared in peers.ts, such as --server-addr, is taken to serve what any reference
 * server serves, so it gets the cases it got before planning by service, not stub-only ones), a
 * stub only when the case has a `stub` block, and the case's own `servers` / `clients` globs allow the pair.
 */
const ADDRESS_SERVICES = Object.entries(SERVER_SERVICES).filter(([name]) => !isStubServer(name)).flatMap(([, services]) => services);

export function runsOn(c: CaseDef, client: string, server: string): boolean {
  const service = c.method.split("/")[0];
  const serves = (SERVER_SERVICES as Record<string, string[]>)[server] ?? ADDRESS_SERVICES;
  if (!serves.some((g) => globMatch(g, service))) return false;
  if (isStubServer(server) && !c.stub) return false;
  if (c.servers && !c.servers.some((g) => globMatch(g, server))) return false;
  if (c.clients && !c.clients.some((g) => globMatch(g, client))) return false;
  // A client runs grpc's named interop test cases ("testCase"), cases by method, or both.
  if (!(CLIENT_RUNS[client] ?? []).includes(c.testCase ? "test-cases" : "methods")) return false;
  return true;
}

/**
 * patternOfCase maps a case to its RPC pattern (from the generated method registry).
 * servers replaces the reference servers, e.g. with the address given by --server-addr.
 */
export function planCells(
  cases: CaseDef[],
  patternOfCase: (c: CaseDef) => Pattern,
  filters: Filters,
  known: KnownFailing[] = [],
  servers: readonly string[] = MATRIX_SERVERS,
  flaky: KnownFailing[] = [],
): Cell[] {
  checkNames("--client", filters.client, MATRIX_CLIENTS);
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
    for (const client of pick(MATRIX_CLIENTS, filters.client)) {
      for (const server of pick(servers, filters.server)) {
        if (!runsOn(c, client, server)) continue;
        const listed = (list: KnownFailing[]) => list.find((k) => globMatch(k.client, client) && globMatch(k.server, server) && globMatch(k.case, c.name));
        cells.push({ id: cellId(client, server, c.name), client, server, pattern: patternOfCase(c), case: c, knownFailing: listed(known), knownFlaky: listed(flaky), seq: cells.length });
      }
    }
  }
  if (cells.length === 0) throw new UsageError("the filters select no cell: the selected cases run on no selected client -> server pair (see their service, `stub`, `servers` and `clients`)");
  return cells;
}

