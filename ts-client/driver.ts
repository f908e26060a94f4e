// ts-client driver: the TypeScript client under test, ts-proto's grpc-js code in gen/ts (every
// module, nested package folders included), run through the driver kit (driver-kit/index.ts)
// that speaks the harness's JSON contract, like the Go and Python drivers; and grpc's named interop
// test cases (a case with "testCase"). Health and reflection are called the way a TS project calls
// them: through @grpc/proto-loader on the .proto files that grpc-health-check and @grpc/reflection ship.
import { createRequire } from "node:module";
import { join } from "node:path";
import * as protoLoader from "@grpc/proto-loader";
import { protoPath as healthProto } from "grpc-health-check";
import { runDriver } from "./driver-kit/index.js";
import { importGenerated } from "./registry.js";

const reflectionDir = join(createRequire(import.meta.url).resolve("@grpc/reflection"), "..", "..", "proto");
const standard = protoLoader.loadSync([healthProto, "grpc/reflection/v1/reflection.proto"], { includeDirs: [reflectionDir] });

// grpc's named interop cases (ts-client/grpc-interop), loaded only when a case names one.
await runDriver({
  services: [...(await importGenerated()), standard],
  testCases: async (address, spec) => (await import("./grpc-interop/run.js")).runTestCase(address, spec),
});
