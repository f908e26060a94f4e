// The article's demo as a TypeScript application writes it with ts-client/greeter-client.ts.
// It follows the article's Python client (the closest in shape: a for-loop over replies, a
// generator of requests), section for section and line for line, with its own values:
//   name "TypeScript"; metrics 20.5, 21.7, 22.3 (average 21.50), 0.1 s apart;
//   chat "Hi from TypeScript" then "Streaming is cool", 0.5 s apart.
// The expected transcript is fixtures/demo/ts.json.
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import type { ChatMessage, Metric } from "../gen/ts/greeter.js";
import { GreeterClient } from "./greeter-client.js";

async function run(address: string): Promise<void> {
  const greeter = new GreeterClient(address);
  try {
    console.log("\n[Unary]");
    const res = await greeter.sayHello({ name: "TypeScript" });
    console.log(`Response: ${res.message}`);

    console.log("\n[Server Streaming]");
    for await (const stock of greeter.getStockPrice({ symbol: "TSMC" })) {
      console.log(`Stock: ${stock.symbol}, Price: ${stock.price.toFixed(2)}`);
    }

    console.log("\n[Client Streaming]");
    async function* generateMetrics(): AsyncGenerator<Metric> {
      for (const value of [20.5, 21.7, 22.3]) {
        console.log(`Uploading: ${value}`);
        yield { value };
        await sleep(100);
      }
    }
    const summary = await greeter.recordMetrics(generateMetrics());
    console.log(`Statistics: Count ${summary.count}, Average ${summary.average.toFixed(2)}`);

    console.log("\n[Chat]");
    async function* chatMessages(): AsyncGenerator<ChatMessage> {
      for (const message of ["Hi from TypeScript", "Streaming is cool"]) {
        console.log(`(Send) ${message}`);
        yield { user: "TypeScript", message };
        await sleep(500);
      }
    }
    for await (const reply of greeter.chat(chatMessages())) {
      console.log(`(Receive) ${reply.user}: ${reply.message}`);
    }
  } finally {
    greeter.close();
  }
}

const { values } = parseArgs({ options: { addr: { type: "string" } } });
if (!values.addr) {
  console.error("usage: ts-client/demo.ts --addr HOST:PORT");
  process.exit(2);
}
try {
  await run(values.addr);
} catch (err) {
  console.error(`ts-demo: ${(err as Error).message}`);
  process.exit(1);
}
