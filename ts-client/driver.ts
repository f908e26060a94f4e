// ts-client driver: the TypeScript client under test, ts-proto's grpc-js code in gen/ts (every
// module, nested package folders included), run through the driver kit (driver-kit/index.ts)
// that speaks the harness's JSON contract, like the Go and Python drivers.
import { runDriver } from "./driver-kit/index.js";
import { importGenerated } from "./registry.js";

await runDriver({ services: await importGenerated() });
