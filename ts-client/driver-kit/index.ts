// A client driver for the interop harness around any grpc-js client code. A team wraps its own
// client in a few lines:
//
//   import { runDriver } from "<harness>/ts-client/driver-kit/index.js";
//   import { RouteGuideService } from "./gen/route_guide.js"; // ts-proto, proto-loader, ...
//   await runDriver({ services: [RouteGuideService] });
//
// It speaks the driver contract (interop/contract.ts): --addr HOST:PORT (--case-json JSON |
// --cases-file FILE) [--descriptor-set FILE], one Observation JSON line per case, in order.
// Methods and message types come from the contract's descriptor set; every call goes through
// the given generated code (see call.ts).
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { CaseSpec, Observation } from "../../interop/contract.js";
import { CaseError, emptyObservation, runCase } from "./call.js";
import { descriptorSetPath, loadContract, stringifyJson, type Contract } from "./contract.js";
import { bindServices, type ServiceSource } from "./services.js";

export type { ServiceSource } from "./services.js";

export interface DriverOptions {
  /** The client under test: grpc-js service definitions or client classes, or modules holding them. */
  services: Iterable<ServiceSource>;
  /** The name observations carry (default "ts"). */
  name?: string;
  /** Runs grpc's named interop test cases (a case with `testCase`), if this client has them. */
  testCases?: CaseRunner;
}

/** Runs the cases given on the command line (argv) and prints one observation line per case. */
export async function runDriver({ services, name = "ts", testCases }: DriverOptions, argv = process.argv.slice(2)): Promise<void> {
  const fail = (message: string): never => {
    console.error(`${name}-client: ${message}`);
    process.exit(2);
  };
  const { values } = parseArgs({ args: argv, options: { addr: { type: "string", default: "" }, "case-json": { type: "string" }, "cases-file": { type: "string" }, "descriptor-set": { type: "string" } } });
  const cases = readCases(values["case-json"], values["cases-file"], fail);
  let run: CaseRunner;
  try {
    run = caseRunner({ services, name, testCases }, values["descriptor-set"]);
  } catch (e) {
    return fail((e as Error).message);
  }
  for (const spec of cases) process.stdout.write(stringifyJson(await run(values.addr, spec)) + "\n");
}

export type CaseRunner = (address: string, spec: CaseSpec) => Promise<Observation>;

/** The driver without its command line: performs one case and returns its observation (never throws for a bad case). */
export function caseRunner({ services, name = "ts", testCases }: DriverOptions, descriptorSet?: string): CaseRunner {
  const contract = loadContract(descriptorSetPath(descriptorSet));
  const methods = bindServices(services);
  return (address, spec) => {
    if (!spec.testCase) return observe(contract, methods, address, spec, name);
    if (testCases) return testCases(address, spec);
    const error = `case ${spec.name}: this driver runs no named test cases (testCase "${spec.testCase}")`;
    return Promise.resolve({ ...emptyObservation(name, spec), status: { code: 2, message: error }, error });
  };
}

/** One case's observation; a case the driver cannot perform is an observation with `error`. */
async function observe(contract: Contract, methods: ReturnType<typeof bindServices>, address: string, spec: CaseSpec, name: string): Promise<Observation> {
  const failed = (error: string): Observation => ({ ...emptyObservation(name, spec), status: { code: 2, message: error }, error });
  const method = contract.methods.get(spec.method);
  if (!method) return failed(`case ${spec.name}: unknown method ${spec.method}: the descriptor set (${contract.path}) has no such method`);
  const client = methods.get(`/${spec.method}`);
  if (!client) return failed(`case ${spec.name}: the client under test has no method ${spec.method}: pass its service definition to runDriver`);
  try {
    return await runCase(contract, address, spec, { contract: method, client }, name);
  } catch (e) {
    if (e instanceof CaseError) return failed(e.message);
    return failed(`case ${spec.name}: ${(e as Error).stack ?? e}`);
  }
}

function readCases(caseJson: string | undefined, casesFile: string | undefined, fail: (m: string) => never): CaseSpec[] {
  try {
    if (caseJson) return [JSON.parse(caseJson)];
    if (casesFile) return JSON.parse(readFileSync(casesFile, "utf8"));
  } catch (e) {
    fail(`cannot read the cases: ${(e as Error).message}`);
  }
  return fail("usage: driver --addr HOST:PORT (--case-json JSON | --cases-file FILE) [--descriptor-set FILE]");
}
