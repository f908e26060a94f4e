// grpc's interop test cases in TypeScript (grpc/grpc doc/interop-test-descriptions.md), one
// function per case as grpc-go's interop/test_utils.go has them. Each performs the case's
// procedure against grpc.testing.TestService and asserts what the doc says the client asserts;
// a failed assertion throws with what was expected and what came back.
import { Metadata, status, type ChannelOptions } from "@grpc/grpc-js";
import type { SoakSpec } from "../../interop/contract.js";
import { cancelledClientStream, Channel, clientStream, Duplex, serverStream, unary, type Outcome } from "./calls.js";

export interface TestContext {
  address: string;
  /** The channel every case but channel_soak and the compressed ones uses. */
  channel: Channel;
  soak: SoakSpec;
}

export class AssertionFailed extends Error {}

function check(ok: boolean, what: string): asserts ok {
  if (!ok) throw new AssertionFailed(what);
}

const REQUEST_SIZES = [27182, 8, 1828, 45904];
const RESPONSE_SIZES = [31415, 9, 2653, 58979];
const LARGE_REQUEST = 271828;
const LARGE_RESPONSE = 314159;
const ECHO_INITIAL = "x-grpc-test-echo-initial";
const ECHO_TRAILING = "x-grpc-test-echo-trailing-bin";
const GZIP: ChannelOptions = { "grpc.default_compression_algorithm": 2 };
const NO_COMPRESS = 2; // grpc-js WriteFlags.NoCompress

const zeros = (n: number) => ({ type: "COMPRESSABLE", body: Buffer.alloc(n) });
const statusName = (code: number) => (status as unknown as Record<number, string>)[code] ?? String(code);
const describe = (o: Outcome) => `${statusName(o.code)}${o.details ? ` "${o.details}"` : ""}`;

function checkOk(o: Outcome, what: string) {
  check(o.code === status.OK, `${what}: status ${describe(o)}, want OK`);
}

function checkStatus(o: Outcome, code: number, what: string, message?: string) {
  check(o.code === code && (message === undefined || o.details === message), `${what}: status ${describe(o)}, want ${statusName(code)}${message === undefined ? "" : ` ${JSON.stringify(message)}`}`);
}

/** A COMPRESSABLE payload of exactly `size` zero bytes. */
function checkPayload(payload: { type?: string; body?: Buffer } | null | undefined, size: number, what: string) {
  const body = payload?.body ?? Buffer.alloc(0);
  check(payload?.type === "COMPRESSABLE", `${what}: payload type ${payload?.type}, want COMPRESSABLE`);
  check(body.length === size, `${what}: payload of ${body.length} bytes, want ${size}`);
  check(body.every((b) => b === 0), `${what}: payload bytes are not all zero`);
}

function checkSizes(o: Outcome, sizes: number[], what: string) {
  check(o.responses.length === sizes.length, `${what}: ${o.responses.length} responses, want ${sizes.length}`);
  o.responses.forEach((r, i) => checkPayload(r.payload, sizes[i], `${what}: response ${i}`));
}

const largeRequest = (extra: Record<string, unknown> = {}) => ({ response_type: "COMPRESSABLE", response_size: LARGE_RESPONSE, payload: zeros(LARGE_REQUEST), ...extra });

async function emptyUnary({ channel }: TestContext) {
  const o = await unary(channel.test, "EmptyCall", {});
  checkOk(o, "EmptyCall");
  check(o.responses.length === 1 && o.responses[0] !== null && typeof o.responses[0] === "object", "EmptyCall: no response message");
}

async function largeUnary({ channel }: TestContext) {
  const o = await unary(channel.test, "UnaryCall", largeRequest());
  checkOk(o, "UnaryCall");
  checkPayload(o.responses[0]?.payload, LARGE_RESPONSE, "UnaryCall");
}

async function clientStreaming({ channel }: TestContext) {
  const o = await clientStream(channel.test, "StreamingInputCall", REQUEST_SIZES.map((n) => ({ message: { payload: zeros(n) } })));
  checkOk(o, "StreamingInputCall");
  check(o.responses[0]?.aggregated_payload_size === 74922, `StreamingInputCall: aggregated_payload_size ${o.responses[0]?.aggregated_payload_size}, want 74922`);
}

async function serverStreaming({ channel }: TestContext) {
  const o = await serverStream(channel.test, "StreamingOutputCall", { response_type: "COMPRESSABLE", response_parameters: RESPONSE_SIZES.map((size) => ({ size })) });
  checkOk(o, "StreamingOutputCall");
  checkSizes(o, RESPONSE_SIZES, "StreamingOutputCall");
}

async function pingPong({ channel }: TestContext) {
  const call = new Duplex(channel.test, "FullDuplexCall");
  for (let i = 0; i < REQUEST_SIZES.length; i++) {
    call.send({ response_type: "COMPRESSABLE", response_parameters: [{ size: RESPONSE_SIZES[i] }], payload: zeros(REQUEST_SIZES[i]) });
    const reply = await call.next();
    check(reply !== undefined, `FullDuplexCall: the call ended (${describe(call.outcome)}) before response ${i}`);
    checkPayload(reply.payload, RESPONSE_SIZES[i], `FullDuplexCall: response ${i}`);
  }
  const o = await call.halfClose();
  checkOk(o, "FullDuplexCall");
  check(o.responses.length === RESPONSE_SIZES.length, `FullDuplexCall: ${o.responses.length} responses, want ${RESPONSE_SIZES.length}`);
}

async function emptyStream({ channel }: TestContext) {
  const o = await new Duplex(channel.test, "FullDuplexCall").halfClose();
  checkOk(o, "FullDuplexCall");
  check(o.responses.length === 0, `FullDuplexCall: ${o.responses.length} responses, want 0`);
}

const TRAILING_VALUE = Buffer.from([0xab, 0xab, 0xab]);

function checkEchoedMetadata(o: Outcome, what: string) {
  const header = o.headers.get(ECHO_INITIAL);
  check(header.length === 1 && header[0] === "test_initial_metadata_value", `${what}: header ${ECHO_INITIAL} ${JSON.stringify(header)}, want ["test_initial_metadata_value"]`);
  const trailer = o.trailers.get(ECHO_TRAILING).map((v) => Buffer.from(v as Buffer).toString("hex"));
  check(trailer.length === 1 && trailer[0] === "ababab", `${what}: trailer ${ECHO_TRAILING} ${JSON.stringify(trailer)} (hex), want ["ababab"]`);
}

async function customMetadata({ channel }: TestContext) {
  const metadata = () => {
    const md = new Metadata();
    md.set(ECHO_INITIAL, "test_initial_metadata_value");
    md.set(ECHO_TRAILING, TRAILING_VALUE);
    return md;
  };
  const u = await unary(channel.test, "UnaryCall", largeRequest(), { metadata: metadata() });
  checkOk(u, "UnaryCall");
  checkPayload(u.responses[0]?.payload, LARGE_RESPONSE, "UnaryCall");
  checkEchoedMetadata(u, "UnaryCall");
  const call = new Duplex(channel.test, "FullDuplexCall", { metadata: metadata() });
  call.send({ response_type: "COMPRESSABLE", response_parameters: [{ size: LARGE_RESPONSE }], payload: zeros(LARGE_REQUEST) });
  const d = await call.halfClose();
  checkOk(d, "FullDuplexCall");
  checkSizes(d, [LARGE_RESPONSE], "FullDuplexCall");
  checkEchoedMetadata(d, "FullDuplexCall");
}

async function echoStatus(channel: Channel, message: string, onStream: boolean) {
  const response_status = { code: 2, message };
  checkStatus(await unary(channel.test, "UnaryCall", { response_status }), status.UNKNOWN, "UnaryCall", message);
  if (!onStream) return;
  const call = new Duplex(channel.test, "FullDuplexCall");
  call.send({ response_status });
  checkStatus(await call.halfClose(), status.UNKNOWN, "FullDuplexCall", message);
}

const statusCodeAndMessage = ({ channel }: TestContext) => echoStatus(channel, "test status message", true);
const specialStatusMessage = ({ channel }: TestContext) => echoStatus(channel, "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n", false);

async function unimplementedMethod({ channel }: TestContext) {
  checkStatus(await unary(channel.test, "UnimplementedCall", {}), status.UNIMPLEMENTED, "TestService/UnimplementedCall");
}

async function unimplementedService({ channel }: TestContext) {
  checkStatus(await unary(channel.unimplemented, "UnimplementedCall", {}), status.UNIMPLEMENTED, "UnimplementedService/UnimplementedCall");
}

async function cancelAfterBegin({ channel }: TestContext) {
  checkStatus(await cancelledClientStream(channel.test, "StreamingInputCall"), status.CANCELLED, "StreamingInputCall");
}

async function cancelAfterFirstResponse({ channel }: TestContext) {
  const call = new Duplex(channel.test, "FullDuplexCall");
  call.send({ response_type: "COMPRESSABLE", response_parameters: [{ size: 31415 }], payload: zeros(27182) });
  const first = await call.next();
  check(first !== undefined, `FullDuplexCall: the call ended (${describe(call.outcome)}) before the first response`);
  call.call.cancel();
  checkStatus(await call.ended, status.CANCELLED, "FullDuplexCall");
}

async function timeoutOnSleepingServer({ channel }: TestContext) {
  const call = new Duplex(channel.test, "FullDuplexCall", { deadline: Date.now() + 1 });
  call.send({ response_type: "COMPRESSABLE", payload: zeros(27182) });
  checkStatus(await call.ended, status.DEADLINE_EXCEEDED, "FullDuplexCall with a 1 ms deadline");
}

/** The CompressedRequest probe, then a compressed and an uncompressed unary call. */
async function clientCompressedUnary({ address, channel }: TestContext) {
  const probe = await unary(channel.test, "UnaryCall", largeRequest({ expect_compressed: { value: true } }));
  checkStatus(probe, status.INVALID_ARGUMENT, "probe (an uncompressed request with expect_compressed=true)");
  const gzip = new Channel(address, GZIP);
  try {
    const compressed = await unary(gzip.test, "UnaryCall", largeRequest({ expect_compressed: { value: true } }));
    checkOk(compressed, "compressed UnaryCall");
    checkPayload(compressed.responses[0]?.payload, LARGE_RESPONSE, "compressed UnaryCall");
  } finally {
    gzip.close();
  }
  const plain = await unary(channel.test, "UnaryCall", largeRequest({ expect_compressed: { value: false } }));
  checkOk(plain, "uncompressed UnaryCall");
  checkPayload(plain.responses[0]?.payload, LARGE_RESPONSE, "uncompressed UnaryCall");
}

/** The probe, then one stream whose first message is compressed and second is not. */
async function clientCompressedStreaming({ address, channel }: TestContext) {
  const probe = await clientStream(channel.test, "StreamingInputCall", [{ message: { expect_compressed: { value: true }, payload: zeros(27182) } }]);
  checkStatus(probe, status.INVALID_ARGUMENT, "probe (an uncompressed request with expect_compressed=true)");
  const gzip = new Channel(address, GZIP);
  try {
    const o = await clientStream(gzip.test, "StreamingInputCall", [
      { message: { expect_compressed: { value: true }, payload: zeros(27182) } },
      { message: { expect_compressed: { value: false }, payload: zeros(45904) }, flags: NO_COMPRESS },
    ]);
    checkOk(o, "StreamingInputCall");
    check(o.responses[0]?.aggregated_payload_size === 73086, `StreamingInputCall: aggregated_payload_size ${o.responses[0]?.aggregated_payload_size}, want 73086`);
  } finally {
    gzip.close();
  }
}

/** server_compressed_*: the assertion is on each response's compressed flag. */
async function unsupportedCompressedFlag() {
  throw new AssertionFailed("not supported by the TS client: grpc-js gives a client no access to a received message's compressed flag, which is what this case asserts");
}

/** rpc_soak and channel_soak: sequential large_unary calls, each within the latency bound. */
async function soak({ address, channel, soak }: TestContext, newChannelEach: boolean) {
  const stopAt = Date.now() + soak.overallTimeoutSeconds * 1000;
  const failures: string[] = [];
  let done = 0;
  for (; done < soak.iterations && Date.now() < stopAt; done++) {
    const start = performance.now();
    const ch = newChannelEach ? new Channel(address) : channel;
    try {
      const o = await unary(ch.test, "UnaryCall", largeRequest(), { deadline: stopAt });
      const ms = performance.now() - start;
      if (o.code !== status.OK) failures.push(`iteration ${done}: ${describe(o)}`);
      else if (o.responses[0]?.payload?.body?.length !== LARGE_RESPONSE) failures.push(`iteration ${done}: payload of ${o.responses[0]?.payload?.body?.length} bytes`);
      else if (ms > soak.perIterationMaxAcceptableLatencyMs) failures.push(`iteration ${done}: ${Math.round(ms)} ms > ${soak.perIterationMaxAcceptableLatencyMs} ms`);
    } finally {
      if (newChannelEach) ch.close();
    }
  }
  check(done === soak.iterations, `ran ${done} of ${soak.iterations} iterations within ${soak.overallTimeoutSeconds} s`);
  check(failures.length <= soak.maxFailures, `${failures.length} failed iterations (at most ${soak.maxFailures} allowed): ${failures.slice(0, 3).join("; ")}`);
}

export const TEST_CASES: Record<string, (ctx: TestContext) => Promise<void>> = {
  empty_unary: emptyUnary,
  large_unary: largeUnary,
  client_streaming: clientStreaming,
  server_streaming: serverStreaming,
  ping_pong: pingPong,
  empty_stream: emptyStream,
  custom_metadata: customMetadata,
  status_code_and_message: statusCodeAndMessage,
  special_status_message: specialStatusMessage,
  unimplemented_method: unimplementedMethod,
  unimplemented_service: unimplementedService,
  cancel_after_begin: cancelAfterBegin,
  cancel_after_first_response: cancelAfterFirstResponse,
  timeout_on_sleeping_server: timeoutOnSleepingServer,
  client_compressed_unary: clientCompressedUnary,
  client_compressed_streaming: clientCompressedStreaming,
  server_compressed_unary: unsupportedCompressedFlag,
  server_compressed_streaming: unsupportedCompressedFlag,
  rpc_soak: (ctx) => soak(ctx, false),
  channel_soak: (ctx) => soak(ctx, true),
};
