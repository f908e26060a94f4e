// grpc.testing.TestService in TypeScript, the server side of grpc's interop test cases
// (grpc/grpc doc/interop-test-descriptions.md, "Server"): payloads of the requested sizes
// (COMPRESSABLE only, else INVALID_ARGUMENT), ResponseParameters with interval_us, Echo Status,
// Echo Metadata (x-grpc-test-echo-initial as a header, x-grpc-test-echo-trailing-bin as a
// trailer). The descriptors come from the contract's descriptor set (grpc-go's registration),
// loaded with @grpc/proto-loader: no generated code and no .proto copy.
//
// Not served, because grpc-js cannot (the node server in grpc's run_interop_tests.py skips the
// same cases): CompressedResponse (grpc-js servers never compress a response: grpc/grpc-node#1823)
// and CompressedRequest (grpc-js hides grpc-encoding and each message's compressed flag from
// handlers, so a request cannot be told apart from an uncompressed one). Both fields are ignored,
// as grpc-go's own TestServer does. UnimplementedCall is left to grpc-js's default handler, and
// grpc.testing.UnimplementedService is not registered: both answer UNIMPLEMENTED.
import { Metadata, status, type sendUnaryData, type ServerDuplexStream, type ServerReadableStream, type ServerUnaryCall, type ServerWritableStream, type ServiceDefinition, type UntypedServiceImplementation } from "@grpc/grpc-js";
import { grpcObjects } from "../interop/descriptor-set.js";

const ECHO_INITIAL = "x-grpc-test-echo-initial";
const ECHO_TRAILING = "x-grpc-test-echo-trailing-bin";

interface Payload { type?: string; body?: Buffer }
interface EchoStatus { code: number; message: string }
interface ResponseParameters { size: number; interval_us: number }
interface SimpleRequest { response_type: string; response_size: number; payload: Payload | null; response_status: EchoStatus | null }
interface StreamingInputCallRequest { payload: Payload | null }
interface StreamingOutputCallRequest { response_type: string; response_parameters: ResponseParameters[]; response_status: EchoStatus | null }

type Call = { metadata: Metadata; cancelled: boolean; sendMetadata(md: Metadata): void };

/** The grpc.testing.TestService definition from the descriptor set. */
export function testServiceDefinition(descriptorSet?: string): ServiceDefinition {
  const testing = (grpcObjects(descriptorSet).grpc as any)?.testing;
  if (!testing?.TestService?.service) throw new Error("the descriptor set has no grpc.testing.TestService: rebuild it (npm run interop runs go-descset)");
  return testing.TestService.service;
}

/** Sends the echoed header now, and returns the trailer to end the call with. */
function echoMetadata(call: Call): Metadata {
  const initial = call.metadata.get(ECHO_INITIAL);
  if (initial.length > 0) {
    const header = new Metadata();
    header.set(ECHO_INITIAL, initial[0]);
    call.sendMetadata(header);
  }
  const trailer = new Metadata();
  const trailing = call.metadata.get(ECHO_TRAILING);
  if (trailing.length > 0) trailer.set(ECHO_TRAILING, trailing[0]);
  return trailer;
}

type Failure = { code: number; details: string; metadata?: Metadata };

/** No interop case asks for more than ~300 KB; a bigger request must not make the server allocate it. */
const MAX_PAYLOAD = 16 * 1024 * 1024;

function payload(type: string, size: number): Payload | Failure {
  if (type !== "COMPRESSABLE") return { code: status.INVALID_ARGUMENT, details: `unsupported payload type ${type}` };
  if (size < 0) return { code: status.INVALID_ARGUMENT, details: `negative payload size ${size}` };
  if (size > MAX_PAYLOAD) return { code: status.INVALID_ARGUMENT, details: `payload size ${size} is over this server's limit of ${MAX_PAYLOAD} bytes` };
  return { type, body: Buffer.alloc(size) };
}

const isFailure = (x: unknown): x is Failure => typeof (x as Failure)?.code === "number";
const echoedStatus = (st: EchoStatus | null, trailer: Metadata): Failure | undefined =>
  st && st.code !== 0 ? { code: st.code, details: st.message, metadata: trailer } : undefined;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends one response per ResponseParameters, each after its interval; a failure ends it. */
async function respond(call: ServerWritableStream<any, any> | ServerDuplexStream<any, any>, req: StreamingOutputCallRequest): Promise<Failure | undefined> {
  for (const p of req.response_parameters) {
    if (p.interval_us > 0) await sleep(p.interval_us / 1000);
    if (call.cancelled) return undefined;
    const body = payload(req.response_type, p.size);
    if (isFailure(body)) return body;
    call.write({ payload: body });
  }
  return undefined;
}

export function testService(): UntypedServiceImplementation {
  return {
    EmptyCall: (_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => callback(null, {}),

    UnaryCall: (call: ServerUnaryCall<SimpleRequest, unknown>, callback: sendUnaryData<unknown>) => {
      const trailer = echoMetadata(call);
      const failed = echoedStatus(call.request.response_status, trailer);
      if (failed) return callback(failed);
      const body = payload(call.request.response_type, call.request.response_size);
      if (isFailure(body)) return callback({ ...body, metadata: trailer });
      callback(null, { payload: body }, trailer);
    },

    StreamingInputCall: (call: ServerReadableStream<StreamingInputCallRequest, unknown>, callback: sendUnaryData<unknown>) => {
      let sum = 0;
      call.on("data", (req: StreamingInputCallRequest) => (sum += req.payload?.body?.length ?? 0));
      call.on("end", () => callback(null, { aggregated_payload_size: sum }));
      call.on("error", () => {}); // a cancelled call: nothing to answer
    },

    StreamingOutputCall: (call: ServerWritableStream<StreamingOutputCallRequest, unknown>) => {
      const trailer = new Metadata();
      const failed = echoedStatus(call.request.response_status, trailer);
      void (failed ? Promise.resolve(failed) : respond(call, call.request)).then((f) => finish(call, trailer, f));
    },

    FullDuplexCall: (call: ServerDuplexStream<StreamingOutputCallRequest, unknown>) => {
      const trailer = echoMetadata(call);
      // Requests are answered in order: each one's responses (and intervals) before the next's.
      // An echoed status (or a bad request) ends the call at once; later requests are ignored.
      let queue = Promise.resolve();
      let done = false;
      call.on("data", (req: StreamingOutputCallRequest) => {
        queue = queue.then(async () => {
          const failed = done ? undefined : (echoedStatus(req.response_status, trailer) ?? (await respond(call, req)));
          if (failed && !done) {
            done = true;
            finish(call, trailer, failed);
          }
        });
      });
      call.on("end", () => void queue.then(() => done || finish(call, trailer, undefined)));
      call.on("error", () => {});
    },

    HalfDuplexCall: (call: ServerDuplexStream<StreamingOutputCallRequest, unknown>) => {
      const requests: StreamingOutputCallRequest[] = [];
      call.on("data", (req: StreamingOutputCallRequest) => requests.push(req));
      call.on("end", async () => {
        let failed: Failure | undefined;
        for (const req of requests) if (!failed) failed = await respond(call, req);
        finish(call, new Metadata(), failed);
      });
      call.on("error", () => {});
    },
  };
}

/** Ends a stream with OK and the trailer, or with the failure (the trailer with it). */
function finish(call: ServerWritableStream<any, any> | ServerDuplexStream<any, any>, trailer: Metadata, failed: Failure | undefined) {
  if (call.cancelled) return;
  if (failed) call.emit("error", Object.assign(new Error(failed.details), { metadata: trailer, ...failed }));
  else call.end(trailer);
}
