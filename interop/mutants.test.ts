// Does the matrix catch a broken server, and only where it should? Each mutant is the real TS
// Greeter with one behaviour changed; every client driver runs every core case against it, and
// exactly the cases that cover the change must fail, naming what was expected and what came back.
import { Server, ServerCredentials, type ServerDuplexStream, type ServerWritableStream } from "@grpc/grpc-js";
import { afterAll, describe, expect, test } from "vitest";
import { GreeterService, type ChatMessage, type GreeterServer, type StockReply, type StockRequest } from "../gen/ts/greeter.js";
import { greeterService } from "../ts-server/greeter-service.js";
import { mapLimit } from "./limit.js";
import { emptyFilters } from "./plan.js";
import { ProcessRuntime } from "./runtime/process.js";
import { MatrixSession } from "./session.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const good = () => greeterService({ tickMs: 50, log: () => {} });

const MUTANTS: Record<string, { server: () => GreeterServer; fails: Record<string, RegExp> }> = {
  "reply prefix changed": {
    server: () => ({ ...good(), sayHello: (call, cb) => cb(null, { message: "Hi " + call.request.name }) }),
    fails: { unary: /^reply\[0\]\.message: expected "Hello interop", got "Hi interop"$/ },
  },
  "one stream message fewer": {
    server: () => ({
      ...good(),
      async getStockPrice(call: ServerWritableStream<StockRequest, StockReply>) {
        for (let i = 0; i < 4; i++) {
          call.write({ symbol: call.request.symbol, price: 550 });
          await sleep(50);
        }
        call.end();
      },
    }),
    fails: { "server-streaming": /^reply count: expected 5, got 4$/ },
  },
  "stream buffered until the end": {
    server: () => ({
      ...good(),
      async getStockPrice(call: ServerWritableStream<StockRequest, StockReply>) {
        await sleep(250);
        for (let i = 0; i < 5; i++) call.write({ symbol: call.request.symbol, price: 550 });
        call.end();
      },
    }),
    fails: { "server-streaming": /buffered, not streamed/ },
  },
  "average miscomputed": {
    server: () => ({ ...good(), recordMetrics: (call, cb) => { const v: number[] = []; call.on("data", (m) => v.push(m.value)); call.on("end", () => cb(null, { count: v.length, average: v.reduce((a, b) => a + b, 0) / (v.length + 1) })); } }),
    fails: { "client-streaming": /^reply\[0\]\.average: expected 26\.4666+7, got 19\.85$/ },
  },
  "chat replies held until half-close": {
    server: () => ({
      ...good(),
      chat(call: ServerDuplexStream<ChatMessage, ChatMessage>) {
        const held: ChatMessage[] = [];
        call.on("data", (m: ChatMessage) => held.push({ user: "Server", message: "Server received: " + m.message }));
        call.on("end", () => { held.forEach((m) => call.write(m)); call.end(); });
      },
    }),
    fails: { bidi: /^interleaving: expected the first reply before the client half-closed/ },
  },
  "chat replies one behind": {
    // Each reply waits for the next request (the last for the half-close): the first reply still
    // comes before the half-close, so only a check of EVERY reply (pingPong) sees it.
    server: () => ({
      ...good(),
      chat(call: ServerDuplexStream<ChatMessage, ChatMessage>) {
        let held: ChatMessage | undefined;
        call.on("data", (m: ChatMessage) => {
          if (held) call.write(held);
          held = { user: "Server", message: "Server received: " + m.message };
        });
        call.on("end", () => { if (held) call.write(held); call.end(); });
      },
    }),
    fails: { bidi: /^ping-pong: expected each reply before the client's next request: reply\[0\] arrived at [\d.]+ ms, after the client sent request\[1\] at [\d.]+ ms \(and 2 more late replies\): the server held its replies or answered one behind$/ },
  },
};

const servers: Server[] = [];
afterAll(() => servers.forEach((s) => s.forceShutdown()));

async function serve(impl: GreeterServer): Promise<string> {
  const server = new Server();
  server.addService(GreeterService, impl);
  servers.push(server);
  const port = await new Promise<number>((res, rej) => server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  return `127.0.0.1:${port}`;
}

describe("a broken TS server fails exactly the cells that cover the break", () => {
  for (const [name, mutant] of Object.entries(MUTANTS)) {
    test(name, async () => {
      const address = await serve(mutant.server());
      const runtime = new ProcessRuntime();
      const session = await MatrixSession.create({ ...emptyFilters(), case: ["unary", "server-streaming", "client-streaming", "bidi"] }, "process", { serverAddr: address, runtime });
      try {
        const outcomes = await mapLimit(session.cells, session.settings.concurrency, async (cell) => ({ cell, outcome: await session.runCell(cell) }));
        const failed = outcomes.filter((o) => o.outcome.status === "failed");
        // Every client, and only the cases the mutant breaks.
        const errors = failed.map((f) => `${f.cell.id}: ${f.outcome.error}`).join("\n");
        expect(failed.map((f) => f.cell.id).sort(), errors).toEqual(
          session.cells.filter((c) => c.case.name in mutant.fails).map((c) => c.id).sort(),
        );
        for (const { cell, outcome } of failed) expect(outcome.error, cell.id).toMatch(mutant.fails[cell.case.name]);
      } finally {
        await session.close();
      }
    }, 30_000);
  }
});

// sendOnReply (core bidi): each driver ends its pause when the reply is in, so a good server's
// three round trips take far less than the three 250 ms pauses a driver ignoring it would take;
// the held-reply mutants above show that the pause still runs its whole length without a reply.
test("every client driver sends its next bidi message once the reply is in (sendOnReply)", async () => {
  const address = await serve(good());
  const session = await MatrixSession.create({ ...emptyFilters(), case: ["bidi"] }, "process", { serverAddr: address, runtime: new ProcessRuntime() });
  try {
    const outcomes = await mapLimit(session.cells, session.settings.concurrency, async (cell) => ({ cell, outcome: await session.runCell(cell), seen: await session.observationOf(cell.id) }));
    expect(outcomes.map((o) => o.cell.client).sort()).toEqual(["go", "python", "ts"]);
    for (const { cell, outcome, seen } of outcomes) {
      expect(outcome.status, `${cell.id}: ${outcome.error}`).toBe("passed");
      const obs = seen && "observation" in seen ? seen.observation : undefined;
      const interval = cell.case.sendIntervalMs!;
      expect(cell.case.sendOnReply).toBe(true);
      expect(obs?.halfCloseAtMs, cell.id).toBeLessThan(obs!.sent.length * interval);
    }
  } finally {
    await session.close();
  }
}, 30_000);
