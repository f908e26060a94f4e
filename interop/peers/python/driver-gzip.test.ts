// The Python driver sends each case's requests with the case's compression, in every pattern.
// Seen on the wire: a bare HTTP/2 server (no gRPC library, which would decompress and forget)
// records each call's grpc-encoding header and the compressed flag of every request message.
// grpcio 1.85's stream-unary .future() drops its compression argument, so without the channel
// default the client-streaming calls here would arrive with flag 0 and no grpc-encoding.
import { createServer, type Http2Server, type IncomingHttpHeaders } from "node:http2";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runBatch, type BatchResult } from "../../batch.js";
import type { CaseSpec } from "../../contract.js";
import { buildDescriptorSet, pythonRuntime } from "./test-support.js";

interface SeenCall {
  encoding: string | undefined;
  /** The compressed flag (first byte of the 5-byte prefix) of each request message. */
  flags: number[];
}

/** Answers every call with one empty message and OK, after recording what came in. */
function startRecordingServer(seen: Map<string, SeenCall>): Promise<Http2Server> {
  const server = createServer();
  server.on("stream", (stream, headers: IncomingHttpHeaders) => {
    const chunks: Buffer[] = [];
    stream.on("data", (d: Buffer) => chunks.push(d));
    stream.on("end", () => {
      const body = Buffer.concat(chunks);
      const flags: number[] = [];
      for (let at = 0; at + 5 <= body.length; at += 5 + body.readUInt32BE(at + 1)) flags.push(body[at]);
      seen.set(String(headers["x-case"]), { encoding: headers["grpc-encoding"] as string | undefined, flags });
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(Buffer.alloc(5)); // one empty message: decodes as any type
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const METHODS = {
  unary: "interop.InteropTest/Echo",
  "server-streaming": "greeter.Greeter/GetStockPrice",
  "client-streaming": "interop.InteropTest/StreamInput",
  bidi: "interop.InteropTest/FullDuplex",
} as const;

function caseFor(pattern: keyof typeof METHODS, compression: "gzip" | undefined): CaseSpec {
  const name = `${pattern}-${compression ?? "none"}`;
  const streaming = pattern === "client-streaming" || pattern === "bidi";
  // Compressible requests: gRPC sends a message uncompressed (flag 0) when gzip would not make it
  // smaller, so a tiny request could not show the difference.
  const request = pattern === "server-streaming" ? { symbol: "A".repeat(4096) } : { payload: Buffer.alloc(4096).toString("base64") };
  return {
    name, method: METHODS[pattern], requests: streaming ? [request, request, request] : [request],
    metadata: { "x-case": [name] }, timeoutMs: 5000, ...(compression ? { compression } : {}),
  };
}

describe("python driver: request compression on the wire", () => {
  const seen = new Map<string, SeenCall>();
  const results = new Map<string, BatchResult>();
  let server: Http2Server;
  const runtime = pythonRuntime(buildDescriptorSet());

  beforeAll(async () => {
    server = await startRecordingServer(seen);
    const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const specs = (Object.keys(METHODS) as (keyof typeof METHODS)[]).flatMap((p) => [caseFor(p, "gzip"), caseFor(p, undefined)]);
    await runBatch(
      { runtime, client: "python", address, workDir: mkdtempSync(join(tmpdir(), "py-gzip-")), serverGone: () => undefined },
      specs.map((spec) => ({ id: spec.name, spec, limitMs: 10_000 })),
      (id, result) => results.set(id, result),
    );
  }, 60_000);
  afterAll(async () => {
    await runtime.close();
    server?.close();
  });

  test.each(Object.keys(METHODS))("%s: every request message compressed with gzip when the case asks", (pattern) => {
    const result = results.get(`${pattern}-gzip`);
    expect(result && "observation" in result && result.observation.status.code).toBe(0);
    const call = seen.get(`${pattern}-gzip`);
    expect(call?.encoding).toBe("gzip");
    const count = pattern === "client-streaming" || pattern === "bidi" ? 3 : 1;
    expect(call?.flags).toEqual(Array(count).fill(1));
  });

  test.each(Object.keys(METHODS))("%s: uncompressed when the case does not ask (the check can tell)", (pattern) => {
    const call = seen.get(`${pattern}-none`);
    expect(call?.encoding ?? "identity").toBe("identity");
    expect(call?.flags.length).toBeGreaterThan(0);
    expect(call?.flags.every((f) => f === 0)).toBe(true);
  });
});
