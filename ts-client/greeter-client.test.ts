// The typed client library against the TS server, in process: each pattern's shape (promise,
// async iterable, request stream), and errors surfacing as gRPC status codes.
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTsServer, type RunningTsServer } from "../ts-server/server.js";
import { GreeterClient } from "./greeter-client.js";

let server: RunningTsServer;
let greeter: GreeterClient;
beforeAll(async () => {
  server = await startTsServer({ tickMs: 10, log: () => {} });
  greeter = new GreeterClient(server.address, { timeoutMs: 5000 });
});
afterAll(async () => {
  greeter.close();
  await server.stop();
});

async function* slowly<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) {
    yield item;
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("GreeterClient", () => {
  test("the four patterns", async () => {
    expect(await greeter.sayHello({ name: "lib" })).toEqual({ message: "Hello lib" });
    const stocks = [];
    for await (const s of greeter.getStockPrice({ symbol: "TSMC" })) stocks.push(s);
    expect(stocks).toHaveLength(5);
    expect(stocks.every((s) => s.symbol === "TSMC" && s.price >= 500 && s.price < 600)).toBe(true);
    expect(await greeter.recordMetrics([{ value: 1 }, { value: 2 }])).toEqual({ count: 2, average: 1.5 });
    const replies = [];
    for await (const r of greeter.chat(slowly([{ user: "u", message: "a" }, { user: "u", message: "b" }]))) replies.push(r.message);
    expect(replies).toEqual(["Server received: a", "Server received: b"]);
  });

  test("errors are gRPC statuses: a rejection, or a throw from the reply loop", async () => {
    const nobody = new GreeterClient("127.0.0.1:1", { timeoutMs: 2000 });
    try {
      await expect(nobody.sayHello({ name: "x" })).rejects.toMatchObject({ code: status.UNAVAILABLE });
      const loop = async () => {
        for await (const _ of nobody.getStockPrice({ symbol: "X" })) void _;
      };
      await expect(loop()).rejects.toMatchObject({ code: status.UNAVAILABLE });
    } finally {
      nobody.close();
    }
  });

  test("a request source that throws cancels the call, and its error is the caller's", async () => {
    async function* broken<T>(first: T): AsyncGenerator<T> {
      yield first;
      throw new Error("sensor unplugged");
    }
    await expect(greeter.recordMetrics(broken({ value: 1 }))).rejects.toThrow("sensor unplugged");
    const loop = async () => {
      for await (const _ of greeter.chat(broken({ user: "u", message: "a" }))) void _;
    };
    await expect(loop()).rejects.toThrow("sensor unplugged");
  });
});
