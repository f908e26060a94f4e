// The typed client library (greeter-client.ts) against every reference server, process peers as
// in the matrix: each method's result, and its deadline (timeoutMs) on each method: a call that
// outlives it ends DEADLINE_EXCEEDED, as a rejection or a throw from the reply loop, and the
// deadline is counted from each call's start, not from the client's construction.
import { Server, ServerCredentials, status } from "@grpc/grpc-js";
import { GreeterService } from "../gen/ts/greeter.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { greeterService } from "../ts-server/greeter-service.js";
import { ProcessRuntime } from "../interop/runtime/process.js";
import type { ServerHandle } from "../interop/runtime/types.js";
import { GreeterClient } from "./greeter-client.js";

const TICK_MS = 200; // five stock ticks take ~1 s: longer than the short deadline below
const SHORT_DEADLINE_MS = 300;
const SERVERS = ["go", "python", "python-aio", "ts"] as const;
const runtime = new ProcessRuntime();
const servers: Record<string, ServerHandle> = {};
let release!: () => void;
const never = new Promise<void>((r) => (release = r));

beforeAll(async () => {
  await Promise.all(SERVERS.map(async (name) => (servers[name] = await runtime.startServer(name, { tickMs: TICK_MS, startTimeoutMs: 20_000 }))));
}, 30_000);
afterAll(async () => {
  release();
  await runtime.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function* slowly<T>(items: T[], ms = 5): AsyncGenerator<T> {
  for (const item of items) {
    yield item;
    await sleep(ms);
  }
}
/** A request source that sends one message and then never ends (until the test file is done). */
async function* endless<T>(first: T): AsyncGenerator<T> {
  yield first;
  await never;
}
/**
 * The error a call ended by its deadline gives. Against grpc-go, the server resets the stream
 * (RST_STREAM CANCEL) when the deadline passes, at about the moment grpc-js's own timer fires; if
 * the reset wins, grpc-js reports CANCELLED "Call cancelled" (the race fixtures/known-flaky.json
 * documents for ts -> go deadline cells). Only that exact form is accepted, and only from Go.
 */
const deadlineEnded = (server: string) =>
  server === "go"
    ? expect.toSatisfy((e: { code?: number; details?: string }) => e?.code === status.DEADLINE_EXCEEDED || (e?.code === status.CANCELLED && e.details === "Call cancelled"), "DEADLINE_EXCEEDED (or grpc-go's reset: CANCELLED \"Call cancelled\")")
    : expect.objectContaining({ code: status.DEADLINE_EXCEEDED });
const drain = async <T>(it: AsyncIterable<T>) => {
  const got: T[] = [];
  for await (const x of it) got.push(x);
  return got;
};

describe.each(SERVERS)("GreeterClient -> %s server", (name) => {
  test("every method: SayHello, GetStockPrice, RecordMetrics, Chat", async () => {
    const greeter = new GreeterClient(servers[name].address, { timeoutMs: 10_000 });
    try {
      expect(await greeter.sayHello({ name: "lib" })).toEqual({ message: "Hello lib" });
      const stocks = await drain(greeter.getStockPrice({ symbol: "TSMC" }));
      expect(stocks).toHaveLength(5);
      for (const s of stocks) expect(s.symbol === "TSMC" && s.price >= 500 && s.price < 600, JSON.stringify(s)).toBe(true);
      expect(await greeter.recordMetrics(slowly([{ value: 1 }, { value: 2 }, { value: 4.5 }]))).toEqual({ count: 3, average: 2.5 });
      const replies = await drain(greeter.chat(slowly([{ user: "u", message: "a" }, { user: "u", message: "b" }], 20)));
      expect(replies).toEqual([
        { user: "Server", message: "Server received: a" },
        { user: "Server", message: "Server received: b" },
      ]);
    } finally {
      greeter.close();
    }
  }, 30_000);

  test("the deadline ends each kind of call with DEADLINE_EXCEEDED, counted from the call's start", async () => {
    const greeter = new GreeterClient(servers[name].address, { timeoutMs: SHORT_DEADLINE_MS });
    try {
      await sleep(SHORT_DEADLINE_MS + 100); // a deadline fixed at construction would already be over
      expect(await greeter.sayHello({ name: "late" })).toEqual({ message: "Hello late" });
      const t0 = Date.now();
      const stocks: unknown[] = [];
      const loop = async () => {
        for await (const s of greeter.getStockPrice({ symbol: "X" })) stocks.push(s);
      };
      await expect(loop()).rejects.toEqual(deadlineEnded(name));
      expect(stocks.length).toBeLessThan(5); // cut short, not completed
      await expect(greeter.recordMetrics(endless({ value: 1 }))).rejects.toEqual(deadlineEnded(name));
      await expect(drain(greeter.chat(endless({ user: "u", message: "a" })))).rejects.toEqual(deadlineEnded(name));
      expect(Date.now() - t0).toBeLessThan(3 * SHORT_DEADLINE_MS + 3000); // three deadlines, not the servers' pace
    } finally {
      greeter.close();
    }
  }, 30_000);
});

describe("GreeterClient.sayHello deadline", () => {
  test("a unary call the server never answers is rejected with DEADLINE_EXCEEDED at its deadline", async () => {
    // A Greeter that never answers SayHello: only the deadline can end the call.
    const server = new Server();
    server.addService(GreeterService, { ...greeterService({ tickMs: 10, log: () => {} }), sayHello: () => {} });
    const port = await new Promise<number>((res, rej) => server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
    const greeter = new GreeterClient(`127.0.0.1:${port}`, { timeoutMs: SHORT_DEADLINE_MS });
    try {
      const t0 = Date.now();
      await expect(greeter.sayHello({ name: "x" })).rejects.toMatchObject({ code: status.DEADLINE_EXCEEDED });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(SHORT_DEADLINE_MS - 20);
    } finally {
      greeter.close();
      server.forceShutdown();
    }
  });
});
