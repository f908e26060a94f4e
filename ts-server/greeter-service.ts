// The TypeScript Greeter: the same semantics as the article's Go server, on @grpc/grpc-js with
// ts-proto's generated types. This is the service whose interop the harness guards.
import type { sendUnaryData, ServerDuplexStream, ServerReadableStream, ServerUnaryCall, ServerWritableStream } from "@grpc/grpc-js";
import {
  type ChatMessage,
  type GreeterServer,
  type HelloReply,
  type HelloRequest,
  type Metric,
  type MetricSummary,
  type StockReply,
  type StockRequest,
} from "../gen/ts/greeter.js";

export interface GreeterOptions {
  /** Pause after each GetStockPrice reply; the article uses 500 ms. */
  tickMs: number;
  /** Where the article's server logs go (stderr by default). */
  log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function greeterService({ tickMs, log = (l) => console.error(l) }: GreeterOptions): GreeterServer {
  return {
    sayHello(call: ServerUnaryCall<HelloRequest, HelloReply>, callback: sendUnaryData<HelloReply>) {
      callback(null, { message: "Hello " + call.request.name });
    },

    async getStockPrice(call: ServerWritableStream<StockRequest, StockReply>) {
      log(`Received subscription: ${call.request.symbol}`);
      for (let i = 0; i < 5; i++) {
        if (call.cancelled) return;
        call.write({ symbol: call.request.symbol, price: 500 + Math.random() * 100 });
        await sleep(tickMs);
      }
      call.end();
    },

    recordMetrics(call: ServerReadableStream<Metric, MetricSummary>, callback: sendUnaryData<MetricSummary>) {
      let sum = 0;
      let count = 0;
      call.on("data", (metric: Metric) => {
        sum += metric.value;
        count++;
        log(`Received data: ${metric.value.toFixed(2)}`);
      });
      call.on("end", () => callback(null, { count, average: count > 0 ? sum / count : 0 }));
    },

    chat(call: ServerDuplexStream<ChatMessage, ChatMessage>) {
      call.on("data", (msg: ChatMessage) => {
        log(`Received message [${msg.user}]: ${msg.message}`);
        // Reply at once: replies interleave with the client's requests.
        call.write({ user: "Server", message: "Server received: " + msg.message });
      });
      call.on("end", () => call.end());
    },
  };
}
