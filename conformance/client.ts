// Client adapter for connectconformance --mode client: reads size-delimited ClientCompatRequests
// from stdin until EOF, makes each RPC with grpc-js (conformance/rpc.ts), all concurrently, and
// writes a ClientCompatResponse per RPC to stdout as each finishes. Waits for the RPCs in flight
// at EOF; exits at once on SIGTERM.
import { ClientCompatRequest, ClientCompatResponse } from "../.build/conformance/gen/connectrpc/conformance/v1/client_compat.js";
import { readDelimited, writeDelimited } from "./framing.js";
import { closeChannels, invoke, SetupError } from "./rpc.js";

process.on("SIGTERM", () => process.exit(0));

async function handle(bytes: Uint8Array): Promise<void> {
  const req = ClientCompatRequest.decode(bytes);
  let res: ClientCompatResponse;
  try {
    res = { testName: req.testName, response: await invoke(req), error: undefined };
  } catch (e) {
    // A SetupError is the runner asking for something this client cannot do; anything else is a
    // bug in the adapter, reported the same way so the case fails with the reason.
    const why = e instanceof SetupError ? e.message : `adapter error: ${(e as Error).stack ?? e}`;
    res = { testName: req.testName, response: undefined, error: { message: why } };
  }
  let bytesOut: Uint8Array;
  try {
    bytesOut = ClientCompatResponse.encode(res).finish();
  } catch (e) {
    const why = `adapter error: cannot encode the result (${(e as Error).message}): ${JSON.stringify(res.response?.error ?? res.error)}`;
    bytesOut = ClientCompatResponse.encode({ testName: req.testName, response: undefined, error: { message: why } }).finish();
  }
  await writeDelimited(process.stdout, bytesOut);
}

// At most MAX_IN_FLIGHT RPCs at once: with all of them started together (the runner sends
// hundreds), the event loop was busy long enough between starting a call and sending its headers
// that the deadline the server saw was 600-800 ms short of the one set (Deadline Propagation).
const MAX_IN_FLIGHT = 16;
let running = 0;
const waiting: (() => void)[] = [];
async function limited(bytes: Uint8Array): Promise<void> {
  if (running >= MAX_IN_FLIGHT) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    await handle(bytes);
  } finally {
    running--;
    waiting.shift()?.();
  }
}

const inFlight: Promise<void>[] = [];
try {
  for await (const bytes of readDelimited(process.stdin)) inFlight.push(limited(bytes));
  await Promise.all(inFlight);
  closeChannels();
  // Exit now: a call grpc-js never ended (see the watchdog in rpc.ts) would keep Node alive, and
  // the runner would wait for our stdout to close. Every result has been written (and flushed).
  process.exit(0);
} catch (e) {
  console.error(`conformance client: ${(e as Error).message}`);
  process.exit(1);
}
