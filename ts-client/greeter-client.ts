// A typed client library for the Greeter, on ts-proto's generated GreeterClient (grpc-js).
// Single replies are promises, reply streams are async iterables and request streams are any
// (async) iterable, so application code reads like the article's Python client: a call, a
// for-loop over replies, a generator of requests. Errors surface as grpc-js ServiceErrors
// (rejections, or throws from the for-await loop); a request source that throws cancels the
// call, and its own error is what the caller sees.
import { credentials, Metadata, type CallOptions, type ChannelCredentials, type ClientWritableStream } from "@grpc/grpc-js";
import type { Readable } from "node:stream";
import {
  GreeterClient as GeneratedGreeterClient,
  type ChatMessage,
  type HelloReply,
  type HelloRequest,
  type Metric,
  type MetricSummary,
  type StockReply,
  type StockRequest,
} from "../gen/ts/greeter.js";

/** What a client-streaming or bidi call sends: an array, a generator, an async generator. */
export type RequestStream<T> = Iterable<T> | AsyncIterable<T>;

export interface GreeterClientOptions {
  /** Insecure by default: the harness's peers listen on loopback without TLS. */
  credentials?: ChannelCredentials;
  /** A deadline for every call, in ms from its start; none by default, as in the article. */
  timeoutMs?: number;
}

export class GreeterClient {
  private readonly client: GeneratedGreeterClient;

  constructor(address: string, private readonly options: GreeterClientOptions = {}) {
    this.client = new GeneratedGreeterClient(address, options.credentials ?? credentials.createInsecure());
  }

  /** 1. Unary */
  sayHello(request: HelloRequest): Promise<HelloReply> {
    return new Promise((resolve, reject) =>
      this.client.sayHello(request, new Metadata(), this.callOptions(), (err, reply) => (err ? reject(err) : resolve(reply))),
    );
  }

  /** 2. Server streaming: the replies, as they arrive. */
  getStockPrice(request: StockRequest): AsyncIterable<StockReply> {
    return typed<StockReply>(this.client.getStockPrice(request, new Metadata(), this.callOptions()));
  }

  /** 3. Client streaming: sends every metric, half-closes, resolves with the summary. */
  recordMetrics(metrics: RequestStream<Metric>): Promise<MetricSummary> {
    return new Promise((resolve, reject) => {
      const call = this.client.recordMetrics(new Metadata(), this.callOptions(), (err, summary) => (err ? reject(err) : resolve(summary)));
      // A failing source rejects first, so the caller sees its error rather than CANCELLED.
      void sendAll(metrics, call, reject);
    });
  }

  /** 4. Bidi: sends in the background while the caller reads the replies. */
  chat(messages: RequestStream<ChatMessage>): AsyncIterable<ChatMessage> {
    const call = this.client.chat(new Metadata(), this.callOptions());
    let sourceError: unknown;
    void sendAll(messages, call, (err) => (sourceError = err));
    return typed<ChatMessage>(call, () => sourceError);
  }

  close(): void {
    this.client.close();
  }

  private callOptions(): Partial<CallOptions> {
    return this.options.timeoutMs ? { deadline: Date.now() + this.options.timeoutMs } : {};
  }
}

/** Writes each request as the source yields it, then half-closes; a source that throws cancels the call. */
async function sendAll<T>(source: RequestStream<T>, call: ClientWritableStream<T>, onSourceError: (err: unknown) => void): Promise<void> {
  try {
    for await (const message of source) call.write(message);
    call.end();
  } catch (err) {
    onSourceError(err); // before cancelling: the cancellation ends the reply stream at once
    call.cancel();
  }
}

/**
 * grpc-js reply streams are Readables of untyped messages; this gives them their generated type.
 * If the call was cancelled because the request source failed, the source's error is thrown.
 */
async function* typed<T>(stream: Readable, sourceError: () => unknown = () => undefined): AsyncGenerator<T> {
  try {
    for await (const message of stream) yield message as T;
  } catch (err) {
    throw sourceError() ?? err;
  }
}
