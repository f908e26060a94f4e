// Dynamic check: peers built from the base's protos against peers built from the working
// tree's, both ways (old client -> new server, new client -> old server), every language, over
// the plaintext cases of the packages the edit touches (the core cases when it touches none),
// through the matrix's own session, runtime and comparator. Only the generated code
// differs between the two sides; the peers' source is the working tree's.
import { join } from "node:path";
import { loadCases, type CaseDef } from "../fixtures.js";
import { mapLimit } from "../limit.js";
import { emptyFilters } from "../plan.js";
import { processCommands, type Command, type PeerCommands } from "../peers.js";
import { ProcessRuntime } from "../runtime/process.js";
import { MatrixSession } from "../session.js";
import { loadMethods } from "../../ts-client/registry.js";
import { descriptorSetFor } from "../paths.js";
import type { ContractBuild } from "./build.js";
import type { Change, Contract } from "./descriptors.js";
import { enrichCases } from "./enrich.js";

export interface DynamicCell {
  direction: string;
  id: string;
  method: string;
  status: "passed" | "failed" | "known-failing";
  error?: string;
}

export interface DynamicResult {
  cells: DynamicCell[];
  /** What the check could not run, and why (a case the client's contract cannot call, a Go peer that does not build). */
  notes: string[];
}

/** A peer that could not be built: it fails at once with the reason, so its cells say why. */
const unbuilt = (reason: string): Command => ({ file: process.execPath, args: ["-e", `console.error(${JSON.stringify(reason)}); process.exit(2)`, "--"] });

function commandsOf(build: ContractBuild): PeerCommands {
  const commands = processCommands(build);
  if (build.goError) {
    const reason = `go peer not built from the ${build.label} protos: ${build.goError}`;
    commands.server.go = unbuilt(reason);
    commands.client.go = unbuilt(reason);
  }
  return commands;
}

/** "greeter.HelloReply" -> "greeter"; "greeter.Greeter/SayHello" -> "greeter". */
const packageOf = (name: string) => name.split("/")[0].split(".").slice(0, -1).join(".");

/** The cases worth running: plaintext ones calling into a package the edit touched. */
export function casesFor(changes: Change[], all: CaseDef[] = loadCases()): CaseDef[] {
  const touched = new Set(changes.flatMap((c) => c.where.map(packageOf)));
  const plain = all.filter((c) => (c.transport ?? "plaintext") === "plaintext");
  return touched.size === 0 ? plain.filter((c) => c.category === "core") : plain.filter((c) => touched.has(packageOf(c.method)));
}

async function runDirection(label: string, clients: ContractBuild, servers: ContractBuild, selected: CaseDef[], notes: string[], adapt = (c: CaseDef[]) => c): Promise<DynamicCell[]> {
  const tsGenDir = join(clients.outDir, "gen", "ts");
  const methods = await loadMethods(tsGenDir);
  const runnable = selected.filter((c) => {
    if (methods.has(c.method)) return true;
    notes.push(`${label}: case ${c.name} not run: the ${clients.label} contract has no ${c.method} for its clients to call`);
    return false;
  });
  if (runnable.length === 0) return [];
  const cases = adapt(runnable);
  const runtime = new ProcessRuntime({ server: commandsOf(servers).server, client: commandsOf(clients).client });
  const session = await MatrixSession.create(emptyFilters(), "process", { runtime, descriptorSet: descriptorSetFor(clients.outDir), cases });
  try {
    await session.startServers();
    return await mapLimit(session.cells, session.settings.concurrency, async (cell): Promise<DynamicCell> => {
      const outcome = await session.runCell(cell);
      return { direction: label, id: cell.id, method: cell.case.method, status: outcome.status, error: outcome.error };
    });
  } finally {
    await session.close();
  }
}

export async function runDynamicCheck(base: ContractBuild, work: ContractBuild, contracts: { base: Contract; work: Contract }, changes: Change[]): Promise<DynamicResult> {
  const notes: string[] = [];
  const selected = casesFor(changes);
  for (const b of [base, work]) if (b.goError) notes.push(`the Go peers do not build from the ${b.label} protos: ${b.goError}`);
  // One direction at a time: the cases' timing checks need the 2 cores not to be swamped.
  const cells = [
    ...(await runDirection("old client -> new server", base, work, selected, notes)),
    ...(await runDirection("new client -> old server", work, base, selected, notes, (cases) => enrichCases(cases, contracts.base, contracts.work, notes))),
  ];
  return { cells, notes };
}
