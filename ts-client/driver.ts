// ts-client driver: the TypeScript client under test, speaking the same JSON contract as the
// Go and Python drivers (interop/contract.ts): one observation line per case, in order.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { CaseSpec } from "../interop/contract.js";
import { runCase } from "./call.js";
import { loadMethods } from "./registry.js";

function fail(message: string): never {
  console.error(`ts-client: ${message}`);
  process.exit(2);
}

function loadCases(caseJson?: string, casesFile?: string): CaseSpec[] {
  try {
    if (caseJson) return [JSON.parse(caseJson)];
    if (casesFile) return JSON.parse(readFileSync(casesFile, "utf8"));
  } catch (e) {
    fail(`cannot read the cases: ${(e as Error).message}`);
  }
  fail("usage: driver --addr HOST:PORT (--case-json JSON | --cases-file FILE)");
}

async function main() {
  const { values } = parseArgs({ options: { addr: { type: "string", default: "" }, "case-json": { type: "string" }, "cases-file": { type: "string" } } });
  const cases = loadCases(values["case-json"], values["cases-file"]);
  const methods = await loadMethods();
  const report = methods.get("interop.InteropTest/GetCallReport");
  for (const spec of cases) {
    if (spec.testCase) {
      // Loaded only when needed: grpc's named cases read the descriptor set.
      const { runTestCase } = await import("./grpc-interop/run.js");
      process.stdout.write(JSON.stringify(await runTestCase(values.addr, spec)) + "\n");
      continue;
    }
    const method = methods.get(spec.method) ?? fail(`case ${JSON.stringify(spec.name)}: unknown method ${JSON.stringify(spec.method)}`);
    process.stdout.write(JSON.stringify(await runCase(values.addr, spec, method, report)) + "\n");
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
