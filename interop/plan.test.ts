import { describe, expect, test } from "vitest";
import type { CaseDef } from "./fixtures.js";
import { emptyFilters, planCells as plan, type PlanPeers } from "./plan.js";
import type { Pattern } from "./contract.js";

const kase = (name: string, pattern: Pattern) => ({ name, method: `greeter.Greeter/${pattern}`, requests: [], category: "core", file: "f", expect: { status: "OK" } }) as CaseDef;
const cases = [kase("unary", "unary"), kase("server-streaming", "server-streaming"), kase("deadline-unary", "unary")];
const patternOf = (c: CaseDef) => c.method.split("/")[1] as Pattern;
// The article's peers, serving every service (the registry's own peers are tested in config/).
const PEERS: PlanPeers = { servers: ["ts", "go", "python", "python-aio"], clients: ["ts", "go", "python"] };
const planCells = (cs: CaseDef[], p: typeof patternOf, f: ReturnType<typeof emptyFilters>, known: Parameters<typeof plan>[3] = [], servers?: string[]) =>
  plan(cs, p, f, known, servers ? { ...PEERS, servers } : PEERS);

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
    expect(() => planCells(cases, patternOf, { ...emptyFilters(), client: ["rust"] })).toThrow('unknown --client "rust": choose from ts, go, python');
    expect(() => planCells(cases, patternOf, { ...emptyFilters(), pattern: ["stream"] })).toThrow(/unknown --pattern "stream"/);
    expect(() => planCells(cases, patternOf, { ...emptyFilters(), case: ["nope"] })).toThrow(/unknown --case "nope": cases are unary, server-streaming/);
    expect(() => planCells(cases, patternOf, { ...emptyFilters(), case: ["zz*"] })).toThrow(/no case matches --case "zz\*"/);
  });

  test("known-failing entries match by glob and carry their reason", () => {
    const known = [{ client: "python", server: "*", case: "deadline-*", reason: "because" }];
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
  });
});
