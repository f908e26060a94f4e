// ts-client driver: the TypeScript client under test, ts-proto's grpc-js code in gen/ts (every
// module, nested package folders included), run through the driver kit (driver-kit/index.ts)
// that speaks the harness's JSON contract, like the Go and Python drivers; and grpc's named interop
// test cases (a case with "testCase").
import { runDriver } from "./driver-kit/index.js";
import { importGenerated } from "./registry.js";

// grpc's named interop cases (ts-client/grpc-interop), loaded only when a case names one.
await runDriver({
  services: await importGenerated(),
  testCases: async (address, spec) => (await import("./grpc-interop/run.js")).runTestCase(address, spec),
});
