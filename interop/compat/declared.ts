// npm run compat on a team's own code (--config FILE): each declared server and client runs twice,
// once against the base's contract and once against the working tree's ({protos} points at each
// side's folder; a build: command builds each side into its own {out}), beside the built-in
// drivers and stubs, each side with its own descriptor set. Cells: old client -> new server and
// new client -> old server (added fields set at every depth), plus new client -> new stubs, whose
// record of what they decoded proves each added field was actually sent.
import { createHash } from "node:crypto";
import { join, relative } from "node:path";
import type { CaseDef } from "../fixtures.js";
import { loadCases } from "../fixtures.js";
import { mapLimit } from "../limit.js";
import type { PeerCommands } from "../peers.js";
import { emptyFilters } from "../plan.js";
import { ProcessRuntime } from "../runtime/process.js";
import { MatrixSession } from "../session.js";
import { BUILD_DIR } from "../paths.js";
import { buildConfigContract, runBuilds } from "../config/prepare-config.js";
import { loadRegistry, resetRegistry, type PeerRegistry } from "../config/registry.js";
import type { Change, Contract } from "./descriptors.js";
import type { DynamicCell, DynamicResult } from "./dynamic-check.js";
import { enrichCasesDeep, keyPath, type SentField } from "./enrich.js";

export interface DeclaredResult extends DynamicResult {
  /** Touched packages no case of the config exercises. */
  uncovered: string[];
  /** Each value the new clients added, and whether a new stub decoded it. */
  sent: (SentField & { seenBy: string[] })[];
}

interface Side { label: string; protos: string; descriptorSet: string; registry: PeerRegistry }

/** The package of a full name: its lower-case segments before the first type name (proto style). */
const packageOf = (name: string) => {
  const parts = name.split("/")[0].split(".");
  const firstType = parts.findIndex((p) => /^[A-Z]/.test(p));
  return parts.slice(0, firstType === -1 ? -1 : firstType).join(".");
};

async function side(label: string, configFile: string, protos: string): Promise<Side> {
  const key = createHash("sha256").update(protos).digest("hex").slice(0, 12);
  const outDir = join(BUILD_DIR, "compat-declared", key);
  const descriptorSet = await buildConfigContract(protos, outDir);
  const registry = loadRegistry(configFile, () => ({ protos, outFor: (peer) => join(outDir, "out", peer) }));
  await runBuilds(registry, protos);
  return { label, protos, descriptorSet, registry };
}

/** Every peer of a side, pointed at that side's descriptor set. */
function commandsOf(s: Side): PeerCommands {
  const all = s.registry.processCommands();
  const point = (m: PeerCommands["server"]) => Object.fromEntries(Object.entries(m).map(([n, c]) => [n, { ...c, env: { ...c.env, INTEROP_DESCRIPTOR_SET: s.descriptorSet } }]));
  return { server: point(all.server), client: point(all.client) };
}

/** Clients of one side against servers of the other, over these cases (planned by service, as the matrix). */
async function direction(label: string, clients: Side, servers: Side, cases: CaseDef[]): Promise<{ cells: DynamicCell[] } | undefined> {
  if (cases.length === 0) return undefined;
  const runtime = new ProcessRuntime({ server: commandsOf(servers).server, client: commandsOf(clients).client });
  const session = await MatrixSession.create(emptyFilters(), "process", { runtime, descriptorSet: clients.descriptorSet, cases });
  try {
    await session.startServers();
    const cells = await mapLimit(session.cells, session.settings.concurrency, async (cell): Promise<DynamicCell> => {
      const outcome = await session.runCell(cell);
      const status = outcome.status === "failed" && cell.knownFailing ? "known-failing" : outcome.status;
      return { direction: label, id: cell.id, method: cell.case.method, status, error: outcome.error };
    });
    return { cells };
  } finally {
    await session.close();
  }
}

export async function runDeclaredCheck(configFile: string, repo: string, baseDir: string, contracts: { base: Contract; work: Contract }, changes: Change[]): Promise<DeclaredResult> {
  const previous = process.env.INTEROP_CONFIG;
  process.env.INTEROP_CONFIG = configFile; // the session plans with this config's peers (fresh, stub, services)
  resetRegistry();
  try {
    const config = loadRegistry(configFile).config;
    const protoSubdir = relative(repo, config.protosDir);
    const work = await side("working tree", configFile, config.protosDir);
    const base = await side("base", configFile, join(baseDir, protoSubdir));
    const all = loadCases(config.cases);
    const touched = [...new Set(changes.flatMap((c) => c.where.map(packageOf)))].filter(Boolean).sort();
    const covered = new Set(all.map((c) => packageOf(c.method)));
    const uncovered = touched.filter((p) => !covered.has(p));
    const selected = touched.length ? all.filter((c) => touched.includes(packageOf(c.method))) : all;
    const notes: string[] = [];
    const inBase = selected.filter((c) => {
      if (contracts.base.methods.has(c.method)) return true;
      notes.push(`case ${c.name} not run old -> new: the base contract has no ${c.method}`);
      return false;
    });
    const { cases: enriched, sent } = enrichCasesDeep(selected, contracts.base, contracts.work);
    for (const s of sent) notes.push(`new client: case ${s.case} sends ${s.field} = ${JSON.stringify(s.value)} at ${s.path} (added, which old peers must ignore)`);
    const cells: DynamicCell[] = [];
    const oldNew = await direction("old client -> new server", base, work, inBase);
    cells.push(...(oldNew?.cells ?? []));
    const newOld = await direction("new client -> old server", work, base, enriched.filter((c) => contracts.base.methods.has(c.method)));
    cells.push(...(newOld?.cells ?? []));
    // New clients against new stubs: the stubs' record shows each added field arrived.
    const isStub = (n: string) => Boolean(work.registry.server(n)?.stub);
    const seen = new Map<string, Set<string>>();
    const withRecord = enriched.filter((c) => sent.some((s) => s.case === c.name) && c.stub).map((c) => ({ ...c, expect: { ...c.expect, received: c.expect.received ?? {} } }));
    const newNew = withRecord.length ? await directionWithRecords("new client -> new stub", work, withRecord, isStub, seen) : [];
    cells.push(...newNew);
    return { cells, notes, uncovered, sent: sent.map((s) => ({ ...s, seenBy: [...(seen.get(`${s.case}\0${s.path}`) ?? [])] })) };
  } finally {
    if (previous === undefined) delete process.env.INTEROP_CONFIG;
    else process.env.INTEROP_CONFIG = previous;
    resetRegistry();
  }
}

/** Like direction(), and reads each stub's record of the decoded requests to find the added values. */
async function directionWithRecords(label: string, s: Side, cases: CaseDef[], isStub: (n: string) => boolean, seen: Map<string, Set<string>>): Promise<DynamicCell[]> {
  const runtime = new ProcessRuntime(commandsOf(s));
  const servers = s.registry.serverNames.filter(isStub);
  const session = await MatrixSession.create({ ...emptyFilters(), server: servers }, "process", { runtime, descriptorSet: s.descriptorSet, cases });
  try {
    await session.startServers();
    return await mapLimit(session.cells, session.settings.concurrency, async (cell): Promise<DynamicCell> => {
      const outcome = await session.runCell(cell);
      const result = await session.observationOf(cell.id);
      const report = result && "observation" in result ? (result.observation as { callReport?: { receivedJson?: string } }).callReport : undefined;
      const requests: unknown[] = report?.receivedJson ? (JSON.parse(report.receivedJson).requests ?? []) : [];
      recordSeen(cell.case.name, cell.id, requests, seen);
      return { direction: label, id: cell.id, method: cell.case.method, status: outcome.status, error: outcome.error };
    });
  } finally {
    await session.close();
  }
}

/** Marks every path of the decoded requests (requests[0].author.email ...) as seen by this cell. */
function recordSeen(caseName: string, cellId: string, requests: unknown[], seen: Map<string, Set<string>>) {
  const walk = (v: unknown, path: string) => {
    if (v === undefined || v === null) return;
    const set = seen.get(`${caseName}\0${path}`) ?? new Set<string>();
    set.add(cellId);
    seen.set(`${caseName}\0${path}`, set);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (typeof v === "object") for (const [k, x] of Object.entries(v as object)) walk(x, keyPath(path, k));
  };
  requests.forEach((r, i) => walk(r, `requests[${i}]`));
}
