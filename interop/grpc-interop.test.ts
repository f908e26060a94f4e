// grpc's interop cases catch a broken TestService, from both clients: the TS client's named
// cases (ts-client/grpc-interop) and grpc-go's official client (through its adapter). Each
// mutant is the TS server's TestService with one behaviour changed; exactly the cases that
// cover it must fail, each client naming the difference its own way. And the official Go
// server runs in a network namespace of its own, with loopback only, and leaves nothing behind.
import { readFileSync, readlinkSync, existsSync } from "node:fs";
import { createServer } from "node:http2";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall, type ServerWritableStream, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runTestCase } from "../ts-client/grpc-interop/run.js";
import { testService, testServiceDefinition } from "../ts-server/grpc-testing-service.js";
import { mapLimit } from "./limit.js";
import { emptyFilters } from "./plan.js";
import { ProcessRuntime } from "./runtime/process.js";
import { MatrixSession } from "./session.js";

const good = testService;
// The compression cases are known-failing everywhere (fixtures/known-failing.json).
const CASES = ["empty_unary", "large_unary", "client_streaming", "server_streaming", "ping_pong", "empty_stream", "custom_metadata", "status_code_and_message",
  "special_status_message", "unimplemented_method", "unimplemented_service", "cancel_after_begin", "cancel_after_first_response", "timeout_on_sleeping_server", "rpc_soak", "channel_soak"];

type Fails = Record<string, { ts: RegExp; "go-official": RegExp }>;

const MUTANTS: Record<string, { server: () => UntypedServiceImplementation; fails: Fails }> = {
  "unary payload one byte short": {
    server: () => {
      const impl = good();
      const unary = impl.UnaryCall as (call: ServerUnaryCall<any, any>, cb: sendUnaryData<any>) => void;
      return {
        ...impl,
        UnaryCall: (call: ServerUnaryCall<any, any>, cb: sendUnaryData<any>) => {
          if (call.request.response_size > 0) call.request.response_size -= 1;
          unary(call, cb);
        },
      };
    },
    fails: {
      large_unary: { ts: /UnaryCall: payload of 314158 bytes, want 314159/, "go-official": /Got the reply with type 0 len 314158; want 0, 314159/ },
      custom_metadata: { ts: /UnaryCall: payload of 314158 bytes, want 314159/, "go-official": /Got the reply with type 0 len 0; want 0, 1\b/ },
      rpc_soak: { ts: /10 failed iterations .*payload of 314158 bytes/, "go-official": /Soak test total failures: 10 exceeded max failures threshold: 0/ },
      channel_soak: { ts: /10 failed iterations .*payload of 314158 bytes/, "go-official": /Soak test total failures: 10 exceeded max failures threshold: 0/ },
    },
  },
  "server stream one response short": {
    server: () => ({
      ...good(),
      StreamingOutputCall: (call: ServerWritableStream<any, any>) => {
        for (const p of call.request.response_parameters.slice(1)) call.write({ payload: { type: "COMPRESSABLE", body: Buffer.alloc(p.size) } });
        call.end();
      },
    }),
    fails: { server_streaming: { ts: /StreamingOutputCall: 3 responses, want 4/, "go-official": /Got reply body of length 9, want 31415/ } },
  },
  "echoed status message trimmed": {
    server: () => {
      const impl = good();
      const unary = impl.UnaryCall as (call: ServerUnaryCall<any, any>, cb: sendUnaryData<any>) => void;
      return {
        ...impl,
        UnaryCall: (call: ServerUnaryCall<any, any>, cb: sendUnaryData<any>) => {
          const st = call.request.response_status;
          if (st?.code) st.message = st.message.trim();
          unary(call, cb);
        },
      };
    },
    fails: {
      special_status_message: { ts: /UnaryCall: status UNKNOWN \\"test with whitespace.*want UNKNOWN \\"\\\\t\\\\ntest with whitespace/, "go-official": /desc = test with whitespace/ },
    },
  },
};

const servers: Server[] = [];
afterAll(() => servers.forEach((s) => s.forceShutdown()));

async function serve(impl: UntypedServiceImplementation): Promise<string> {
  const server = new Server();
  server.addService(testServiceDefinition(), impl);
  servers.push(server);
  const port = await new Promise<number>((res, rej) => server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  return `127.0.0.1:${port}`;
}

describe("a broken TestService fails exactly the grpc-interop cells that cover the break, for both clients", () => {
  for (const [name, mutant] of Object.entries(MUTANTS)) {
    test(name, async () => {
      const address = await serve(mutant.server());
      const runtime = new ProcessRuntime();
      const session = await MatrixSession.create({ ...emptyFilters(), category: ["grpc-interop"], case: CASES }, "process", { serverAddr: address, runtime });
      try {
        expect(new Set(session.cells.map((c) => c.client))).toEqual(new Set(["ts", "go-official"]));
        expect(session.cells).toHaveLength(CASES.length * 2);
        const outcomes = await mapLimit(session.cells, session.settings.concurrency, async (cell) => ({ cell, outcome: await session.runCell(cell) }));
        const failed = outcomes.filter((o) => o.outcome.status === "failed");
        const errors = failed.map((f) => `${f.cell.id}: ${f.outcome.error}`).join("\n");
        expect(failed.map((f) => f.cell.id).sort(), errors).toEqual(session.cells.filter((c) => c.case.name in mutant.fails).map((c) => c.id).sort());
        for (const { cell, outcome } of failed) expect(outcome.error, cell.id).toMatch(mutant.fails[cell.case.name][cell.client as "ts" | "go-official"]);
      } finally {
        await session.close();
      }
    }, 60_000);
  }
});

/** Alive and not a zombie waiting to be reaped. */
const running = (pid: number) => existsSync(`/proc/${pid}`) && !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));

describe("go-official server", () => {
  test("runs in a network namespace of its own (loopback only), is reached on 127.0.0.1, and leaves nothing behind", async () => {
    const runtime = new ProcessRuntime();
    const server = await runtime.startServer("go-official", { tickMs: 50, startTimeoutMs: 20_000 });
    const children = (pid: number) => readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    try {
      expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
      const [inner] = children(server.pid!);
      const [official] = children(inner);
      expect(readFileSync(`/proc/${official}/cmdline`, "utf8")).toMatch(/go-official-server\0-port\0/);
      expect(readlinkSync(`/proc/${official}/ns/net`)).not.toBe(readlinkSync("/proc/self/ns/net"));
      const interfaces = readFileSync(`/proc/${official}/net/dev`, "utf8").split("\n").slice(2).map((l) => l.split(":")[0].trim()).filter(Boolean);
      expect(interfaces).toEqual(["lo"]);
      await server.stop();
      await new Promise((r) => setTimeout(r, 300));
      for (const pid of [server.pid!, inner, official]) expect(running(pid), `pid ${pid} still running`).toBe(false);
    } finally {
      await server.stop();
      await runtime.close();
    }
  }, 30_000);
});

// No server in the matrix implements CompressedRequest (fixtures/known-failing.json), so there the
// TS client's client_compressed_* stop at the probe. Here a bare HTTP/2 server reads each
// message's compressed flag itself, as CompressedRequest asks, and records it: the cases must
// pass against it, and the flags show the client compressed exactly the messages it should.
describe("the TS client's client_compressed_* against a server that checks each message's compressed flag", () => {
  interface Seen { method: string; flags: number[] }
  const seen: Seen[] = [];
  const definition = testServiceDefinition() as Record<string, any>;
  /** One uncompressed gRPC message: flag 0, 4-byte length, the bytes. */
  const frame = (message: Buffer) => {
    const b = Buffer.alloc(5 + message.length);
    b.writeUInt32BE(message.length, 1);
    message.copy(b, 5);
    return b;
  };
  const server = createServer();
  server.on("stream", (stream, headers) => {
    const method = String(headers[":path"]).split("/")[2];
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      const body = Buffer.concat(chunks);
      const requests: any[] = [];
      const flags: number[] = [];
      for (let at = 0; at + 5 <= body.length; ) {
        const length = body.readUInt32BE(at + 1);
        const bytes = body.subarray(at + 5, at + 5 + length);
        flags.push(body[at]);
        requests.push(definition[method].requestDeserialize(body[at] === 1 ? gunzipSync(bytes) : bytes));
        at += 5 + length;
      }
      seen.push({ method, flags });
      const uncompressed = requests.findIndex((r, i) => r.expect_compressed?.value && flags[i] !== 1);
      if (uncompressed >= 0) {
        stream.respond({ ":status": 200, "content-type": "application/grpc", "grpc-status": "3", "grpc-message": `message ${uncompressed} is not compressed` }, { endStream: true });
        return;
      }
      const reply = method === "UnaryCall"
        ? { payload: { type: "COMPRESSABLE", body: Buffer.alloc(requests[0].response_size) } }
        : { aggregated_payload_size: requests.reduce((n, r) => n + (r.payload?.body?.length ?? 0), 0) };
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      stream.on("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
      stream.end(frame(definition[method].responseSerialize(reply)));
    });
  });
  let address = "";
  beforeAll(() => new Promise<void>((res) => server.listen(0, "127.0.0.1", () => {
    address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    res();
  })));
  afterAll(() => new Promise<void>((res) => server.close(() => res())));

  test.each([
    ["client_compressed_unary", "UnaryCall", [[0], [1], [0]]],
    ["client_compressed_streaming", "StreamingInputCall", [[0], [1, 0]]],
  ])("%s passes, and compresses exactly the messages it should", async (testCase, method, flags) => {
    seen.length = 0;
    const obs = await runTestCase(address, { name: testCase, method: `grpc.testing.TestService/${method}`, requests: [], testCase, timeoutMs: 10_000 });
    expect(obs.status).toEqual({ code: 0, message: "" });
    expect(seen).toEqual(flags.map((f) => ({ method, flags: f })));
  });
});
