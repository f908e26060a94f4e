// Runs one of grpc's named interop test cases (spec.testCase) and reports it as an observation
// of the driver contract: status OK when the case's assertions held, else UNKNOWN with the
// assertion that failed (or the error that stopped it). Bounded by the case's timeoutMs.
import type { CaseSpec, Observation, SoakSpec } from "../../interop/contract.js";
import { Channel } from "./calls.js";
import { TEST_CASES } from "./test-cases.js";

const UNKNOWN = 2;
/** grpc-go's interop client defaults for the soak cases, used when a case gives none. */
const DEFAULT_SOAK: SoakSpec = { iterations: 10, maxFailures: 0, perIterationMaxAcceptableLatencyMs: 1000, overallTimeoutSeconds: 10 };

export const TEST_CASE_NAMES = Object.keys(TEST_CASES);

export async function runTestCase(address: string, spec: CaseSpec): Promise<Observation> {
  const start = performance.now();
  const obs: Observation = {
    client: "ts", case: spec.name, method: spec.method, status: { code: 0, message: "" },
    sent: [], halfCloseAtMs: null, responses: [], headers: {}, trailers: {}, durationMs: 0,
  };
  const run = TEST_CASES[spec.testCase!];
  if (!run) {
    obs.status = { code: UNKNOWN, message: `case ${spec.name}: unknown test case "${spec.testCase}": the TS client has ${TEST_CASE_NAMES.join(", ")}` };
    return obs;
  }
  const target = spec.address ?? address;
  const channel = new Channel(target);
  const limitMs = spec.timeoutMs ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run({ address: target, channel, soak: spec.soak ?? DEFAULT_SOAK }),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`did not finish within ${limitMs} ms`)), limitMs))),
    ]);
  } catch (e) {
    obs.status = { code: UNKNOWN, message: `${spec.testCase}: ${(e as Error).message}` };
  } finally {
    clearTimeout(timer);
    channel.close();
  }
  obs.durationMs = Math.round((performance.now() - start) * 1000) / 1000;
  return obs;
}
