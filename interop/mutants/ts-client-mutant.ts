// A deliberately broken TS client, for the mutation tests: the real TS driver (ts-client/driver.ts)
// run on cases rewritten the way a broken client would behave (it does not pause between sends,
// drops a request, sends one value per metadata key, ignores the deadline), or with its output
// rewritten the way a client that loses something would report it (no trailers).
//
//   node --import tsx interop/mutants/ts-client-mutant.ts <mutant> --addr HOST:PORT (--cases-file F | --case-json J)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { execa } from "execa";
import type { CaseSpec, Observation } from "../contract.js";
import { ROOT } from "../paths.js";
import { peerRegistry } from "../config/registry.js";

type SpecMutation = (spec: CaseSpec) => CaseSpec;
type OutputMutation = (obs: Observation) => Observation;

export const CLIENT_MUTANTS: Record<string, { spec?: SpecMutation; output?: OutputMutation }> = {
  "does not wait between sends": { spec: ({ sendIntervalMs: _, ...spec }) => spec },
  "drops the last request": { spec: (spec) => (spec.requests.length > 1 ? { ...spec, requests: spec.requests.slice(0, -1) } : spec) },
  "sends each metadata key once": {
    spec: (spec) => (spec.metadata ? { ...spec, metadata: Object.fromEntries(Object.entries(spec.metadata).map(([k, v]) => [k, v.slice(0, 1)])) } : spec),
  },
  "ignores the deadline": { spec: ({ timeoutMs: _, ...spec }) => spec },
  "loses trailing metadata": { output: (obs) => ({ ...obs, trailers: {} }) },
};

async function main() {
  const [mutantName, ...rest] = process.argv.slice(2);
  const mutant = CLIENT_MUTANTS[mutantName];
  if (!mutant) {
    console.error(`ts-client-mutant: unknown mutant ${JSON.stringify(mutantName)}: choose from ${Object.keys(CLIENT_MUTANTS).join(", ")}`);
    process.exit(2);
  }
  const { values } = parseArgs({ args: rest, options: { addr: { type: "string", default: "" }, "case-json": { type: "string" }, "cases-file": { type: "string" } } });
  const specs: CaseSpec[] = values["case-json"] ? [JSON.parse(values["case-json"])] : JSON.parse(readFileSync(values["cases-file"]!, "utf8"));
  const dir = mkdtempSync(join(tmpdir(), "ts-client-mutant-"));
  try {
    const file = join(dir, "cases.json");
    writeFileSync(file, JSON.stringify(specs.map(mutant.spec ?? ((s) => s))));
    const real = peerRegistry().processCommands().client.ts;
    const child = execa(real.file, [...real.args, "--addr", values.addr, "--cases-file", file], { cwd: ROOT, reject: false, stderr: "inherit", buffer: false });
    let pending = "";
    child.stdout!.on("data", (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines.filter(Boolean)) process.stdout.write(JSON.stringify((mutant.output ?? ((o) => o))(JSON.parse(line))) + "\n");
    });
    const result = await child;
    process.exitCode = result.exitCode ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
