// The driver-contract adapter for grpc-go's official interop client (go-official-client, built
// from google.golang.org/grpc/interop/client at the version go.mod pins). It takes the same
// arguments as every driver (interop/contract.ts) and, for each case, runs the official program
// once with the case's named test case (-test_case), printing one observation line: status OK
// when the program exited 0, else UNKNOWN with its exit and the end of its output. It judges
// nothing itself: the official client's own assertions are the verdict.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { execa } from "execa";
import type { CaseSpec, Observation } from "../../contract.js";
import { BUILD_DIR } from "../../paths.js";

const BINARY = process.env.INTEROP_GO_OFFICIAL_CLIENT ?? join(BUILD_DIR, "bin", "go-official-client");
const UNKNOWN = 2;

function fail(message: string): never {
  console.error(`go-official client adapter: ${message}`);
  process.exit(2);
}

function loadCases(caseJson?: string, casesFile?: string): CaseSpec[] {
  try {
    if (caseJson) return [JSON.parse(caseJson)];
    if (casesFile) return JSON.parse(readFileSync(casesFile, "utf8"));
  } catch (e) {
    fail(`cannot read the cases: ${(e as Error).message}`);
  }
  fail("usage: client-adapter --addr HOST:PORT (--case-json JSON | --cases-file FILE)");
}

/** The official client's flags for a case. */
export function officialArgs(address: string, spec: CaseSpec): string[] {
  const at = address.lastIndexOf(":");
  const args = ["-server_host", address.slice(0, at).replace(/^\[|\]$/g, ""), "-server_port", address.slice(at + 1), "-test_case", spec.testCase!];
  if (spec.soak) {
    args.push(
      "-soak_iterations", String(spec.soak.iterations),
      "-soak_max_failures", String(spec.soak.maxFailures),
      "-soak_per_iteration_max_acceptable_latency_ms", String(spec.soak.perIterationMaxAcceptableLatencyMs),
      "-soak_overall_timeout_seconds", String(spec.soak.overallTimeoutSeconds),
    );
  }
  return args;
}

async function runOne(address: string, spec: CaseSpec): Promise<Observation> {
  const obs: Observation = {
    client: "go-official", case: spec.name, method: spec.method, status: { code: 0, message: "" },
    sent: [], halfCloseAtMs: null, responses: [], headers: {}, trailers: {}, durationMs: 0,
  };
  if (!spec.testCase) {
    obs.status = { code: UNKNOWN, message: `case ${spec.name}: the go-official client runs only grpc's named interop test cases (a case with "testCase")` };
    return obs;
  }
  const start = performance.now();
  const limitMs = spec.timeoutMs ?? 10_000;
  const r = await execa(BINARY, officialArgs(spec.address ?? address, spec), { all: true, reject: false, timeout: limitMs, killSignal: "SIGKILL", stdin: "ignore" });
  obs.durationMs = Math.round(performance.now() - start);
  if (r.exitCode === 0 && !r.timedOut) return obs;
  const tail = String(r.all ?? "").trim().split("\n").slice(-5).join("\n");
  const how = r.timedOut ? `did not finish within ${limitMs} ms and was killed` : r.failed && r.exitCode === undefined ? `could not run: ${r.shortMessage}` : `exited with code ${r.exitCode}`;
  obs.status = { code: UNKNOWN, message: `go-official-client -test_case ${spec.testCase} ${how}${tail ? `:\n${tail}` : ""}` };
  return obs;
}

async function main() {
  const { values } = parseArgs({ options: { addr: { type: "string", default: "" }, "case-json": { type: "string" }, "cases-file": { type: "string" } } });
  for (const spec of loadCases(values["case-json"], values["cases-file"])) {
    process.stdout.write(JSON.stringify(await runOne(values.addr, spec)) + "\n");
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
