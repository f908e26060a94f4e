import { describe, expect, test } from "vitest";
import type { CaseDef } from "./fixtures.js";
import { cellId, emptyFilters, planCells as plan, registryPeers, type PlanPeers } from "./plan.js";
import { loadCases } from "./fixtures.js";
import { peerRegistry } from "./config/registry.js";
import { CLIENTS, SERVERS } from "./peers.js";
import { loadContract } from "../ts-client/driver-kit/contract.js";
import type { Pattern } from "./contract.js";

const kase = (name: string, pattern: Pattern) => ({ name, method: `greeter.Greeter/${pattern}`, requests: [], category: "core", file: "f", expect: { status: "OK" } }) as CaseDef;
const cases = [kase("unary", "unary"), kase("server-streaming", "server-streaming"), kase("deadline-unary", "unary")];
const patternOf = (c: CaseDef) => c.method.split("/")[1] as Pattern;
// The article's peers, serving every service (the registry's own peers are tested in config/).
const STUB_SERVERS = peerRegistry().serverNames.filter((n) => peerRegistry().server(n)!.stub);
const PEERS: PlanPeers = { servers: ["ts", "go", "python", "python-aio"], clients: ["ts", "go", "python"] };
const planCells = (cs: CaseDef[], p: typeof patternOf, f: ReturnType<typeof emptyFilters>, known: Parameters<typeof plan>[3] = [], servers?: string[]) =>
  plan(cs, p, f, known, servers ? { ...registryPeers(), servers } : PEERS); // servers: --server-addr, planned as the CLI does

describe("planCells", () => {
  test("no filter: every client x server x case, named client -> server | case", () => {
    const cells = planCells(cases, patternOf, emptyFilters());
    expect(cells).toHaveLength(3 * 4 * 3); // clients x servers x cases
    expect(cells.map((c) => c.id)).toContain("go -> ts | server-streaming");
  });

  test("filters combine; repeated flags add up; --case takes globs", () => {
    const cells = planCells(cases, patternOf, { ...emptyFilters(), client: ["go", "python"], server: ["ts"], pattern: ["unary"] });
    expect(cells.map((c) => c.id).sort()).toEqual(["go -> ts | deadline-unary", "go -> ts | unary", "python -> ts | deadline-unary", "python -> ts | unary"]);
    expect(planCells(cases, patternOf, { ...emptyFilters(), case: ["*unary"] }).map((c) => c.case.name)).not.toContain("server-streaming");
  });

  test("--case composes with --client, --server and --pattern", () => {
    const cells = planCells(cases, patternOf, { ...emptyFilters(), client: ["ts"], server: ["go", "python"], pattern: ["unary"], case: ["*unary"] });
    expect(cells.map((c) => c.id).sort()).toEqual(["ts -> go | deadline-unary", "ts -> go | unary", "ts -> python | deadline-unary", "ts -> python | unary"]);
    expect(planCells(cases, patternOf, { ...emptyFilters(), client: ["go"], server: ["ts"], pattern: ["unary"], case: ["deadline-*"] }).map((c) => c.id)).toEqual(["go -> ts | deadline-unary"]);
    expect(() => planCells(cases, patternOf, { ...emptyFilters(), pattern: ["server-streaming"], case: ["deadline-*"] })).toThrow(/select no case/);
  });

  test("--category picks the cases of those fixture categories", () => {
    const mixed = [...cases, { ...kase("status-not-found", "unary"), category: "status" }];
    expect(new Set(planCells(mixed, patternOf, { ...emptyFilters(), category: ["status"] }).map((c) => c.case.name))).toEqual(new Set(["status-not-found"]));
    expect(() => planCells(mixed, patternOf, { ...emptyFilters(), category: ["nope"] })).toThrow('unknown --category "nope": choose from core, status');
  });

  test("unknown names are one-line errors that list the valid ones", () => {
    expect(() => plan(cases, patternOf, { ...emptyFilters(), client: ["rust"] })).toThrow('unknown --client "rust": choose from ts, go, python, go-official');
    expect(() => planCells(cases, patternOf, { ...emptyFilters(), pattern: ["stream"] })).toThrow(/unknown --pattern "stream"/);
    expect(() => planCells(cases, patternOf, { ...emptyFilters(), case: ["nope"] })).toThrow(/unknown --case "nope": cases are unary, server-streaming/);
    expect(() => planCells(cases, patternOf, { ...emptyFilters(), case: ["zz*"] })).toThrow(/no case matches --case "zz\*"/);
  });

  test("known-failing entries match by glob and carry their reason", () => {
    const known = [{ client: "python", server: "*", case: "deadline-*", reason: "because", difference: ["^status: "], source: "test" }];
    const cells = planCells(cases, patternOf, emptyFilters(), known);
    const marked = cells.filter((c) => c.knownFailing).map((c) => c.id);
    expect(marked.sort()).toEqual(["python -> go | deadline-unary", "python -> python | deadline-unary", "python -> python-aio | deadline-unary", "python -> ts | deadline-unary"]);
  });

  test("a case runs only where the registry says the server takes it", () => {
    const peers: PlanPeers = { ...PEERS, serves: (server, c) => server !== "go" || c.method.startsWith("greeter.") };
    const other = { ...kase("other", "unary"), method: "shop.Orders/unary" };
    const cells = plan([cases[0], other], patternOf, { ...emptyFilters(), client: ["ts"] }, [], peers);
    expect(cells.filter((c) => c.server === "go").map((c) => c.case.name)).toEqual(["unary"]);
    expect(cells.filter((c) => c.server === "ts").map((c) => c.case.name).sort()).toEqual(["other", "unary"]);
  });

  test("--server-addr replaces the reference servers", () => {
    const cells = planCells(cases, patternOf, emptyFilters(), [], ["127.0.0.1:5000"]);
    expect(new Set(cells.map((c) => c.server))).toEqual(new Set(["127.0.0.1:5000"]));
    // It gets the cases the reference servers get: not a team's stub-only cases.
    const stubOnly = { ...kase("catalog", "unary"), method: "acme.catalog.v1.CatalogService/unary", stub: {} } as CaseDef;
    expect(planCells([...cases, stubOnly], patternOf, emptyFilters(), [], ["127.0.0.1:5000"]).map((c) => c.case.name)).not.toContain("catalog");
  });

  test("a case runs only on servers that serve its service; stubs only with a stub block; servers/clients globs narrow", () => {
    const other = { ...kase("catalog", "unary"), method: "acme.catalog.v1.CatalogService/unary" } as CaseDef;
    expect(() => plan([other], patternOf, emptyFilters())).toThrow(/select no cell/);
    const stubbed = { ...other, stub: { responses: [{}] } } as CaseDef;
    const ids = plan([stubbed], patternOf, emptyFilters()).map((c) => c.id);
    expect(ids.sort()).toEqual(CLIENTS.flatMap((cl) => STUB_SERVERS.map((s) => cellId(cl, s, "catalog"))).sort());
    // A project case with a stub block runs on the reference servers and on the stubs.
    expect(plan([{ ...cases[0], stub: {} }], patternOf, emptyFilters())).toHaveLength(3 * 7);
    const narrowed = plan([{ ...stubbed, servers: ["python*"], clients: ["ts", "go"] }], patternOf, emptyFilters()).map((c) => c.id);
    expect(narrowed.sort()).toEqual(["go -> python-aio-stub | catalog", "go -> python-stub | catalog", "ts -> python-aio-stub | catalog", "ts -> python-stub | catalog"]);
  });

  test("the fixtures: every case without a stub block runs on exactly the pairs it ran on before planning by service", () => {
    const contract = loadContract();
    const all = loadCases();
    const cells = plan(all, (c) => contract.methods.get(c.method)!.pattern, emptyFilters());
    // Before: every client x every reference server x every case.
    // (grpc's named interop cases came later: they run on the clients and servers that have them, below.)
    const before = all.filter((c) => !c.stub && !c.testCase).flatMap((c) => CLIENTS.flatMap((cl) => SERVERS.map((s) => cellId(cl, s, c.name))));
    const projectCells = cells.filter((c) => !c.case.stub && !c.case.testCase).map((c) => c.id);
    expect(projectCells.sort()).toEqual(before.sort());
    expect(before.length).toBeGreaterThanOrEqual(900); // 75 cases x 12 pairs when planning by service came in
    // The rest are cases with a stub block: on the stubs, and on the reference servers only when
    // they serve the case's service (fixtures/cases/streams.json runs interop.InteropTest on both).
    const referenceServices = ["greeter.Greeter", "interop.InteropTest", "userservice.UserService"];
    for (const cell of cells.filter((c) => c.case.stub)) {
      const onStub = (STUB_SERVERS as readonly string[]).includes(cell.server);
      expect(onStub || referenceServices.includes(cell.case.method.split("/")[0]), cell.id).toBe(true);
    }
  });

  test("grpc's named cases run on the clients that run them and the servers that serve grpc.testing (not go); go-official runs nothing else", () => {
    const named = { ...kase("large_unary", "unary"), method: "grpc.testing.TestService/UnaryCall", testCase: "large_unary", category: "grpc-interop" } as CaseDef;
    const cells = plan([...cases, named], patternOf, emptyFilters());
    const ids = (name: string) => cells.filter((c) => c.case.name === name).map((c) => c.id).sort();
    const servers = ["go-official", "python", "python-aio", "ts"];
    expect(ids("large_unary")).toEqual(["go-official", "ts"].flatMap((client) => servers.map((server) => `${client} -> ${server} | large_unary`)));
    expect(ids("unary")).toHaveLength(3 * 4); // as before: ts, go, python x ts, go, python, python-aio
    expect(cells.filter((c) => c.case.name !== "large_unary" && (c.client === "go-official" || c.server === "go-official"))).toEqual([]);
    expect(() => plan(cases, patternOf, { ...emptyFilters(), client: ["go-official"] })).toThrow(/select no cell/);
  });
});
