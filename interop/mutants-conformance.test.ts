// Conformance cases catch a server that gets one behaviour wrong: each mutant is the real TS
// server with one thing broken (status text, error form, metadata, cancellation, size limit,
// streaming, auth, NOT_FOUND), run by every client driver over the cases around it. Exactly the
// cases that cover the break must fail, for every client, with a message naming the difference.
import type { sendUnaryData, ServerUnaryCall, ServerWritableStream } from "@grpc/grpc-js";
import type { EchoRequest, EchoResponse, InteropTestServer, StreamOutputRequest } from "../gen/ts/interop_test.js";
import type { GetUserRequest, User } from "../gen/ts/user_service.js";
import { CallLog } from "../ts-server/call-log.js";
import { interopService } from "../ts-server/interop-service.js";
import { userService } from "../ts-server/user-service.js";
import type { StartOptions } from "../ts-server/server.js";
import { describeServerMutants, type ServerMutant } from "./mutants/server-mutants.js";

const interop = (patch: (base: InteropTestServer) => Partial<InteropTestServer>, calls?: CallLog): StartOptions["implementations"] => {
  const base = interopService(calls);
  return { interop: { ...base, ...patch(base) } as InteropTestServer };
};

/** A call log that never notices a cancellation. */
class BlindCallLog extends CallLog {
  start(call: Parameters<CallLog["start"]>[0]) {
    return super.start({ ...call, metadata: call.metadata, getDeadline: () => call.getDeadline(), on: () => undefined });
  }
}


const MUTANTS: Record<string, ServerMutant> = {
  "status message trimmed": {
    options: {
      implementations: interop((base) => ({
        echo: (call: ServerUnaryCall<EchoRequest, EchoResponse>, cb: sendUnaryData<EchoResponse>) =>
          base.echo(call, (err, ...rest) => cb(err && Object.assign(err, { details: err.details?.trim() }), ...rest)),
      })),
    },
    cases: ["status-special-message*", "status-not-found*", "unary"],
    fails: {
      "status-special-message": /^status message: expected "\\t\\ntest with whitespace/,
      "status-special-message-after-headers": /^status message: expected "\\t\\ntest with whitespace/,
    },
  },
  "always trailers-only": {
    options: { implementations: interop((base) => ({ echo: (call, cb) => base.echo(Object.assign(call, { request: { ...call.request, headersFirst: false } }), cb) })) },
    cases: ["status-internal*", "status-unauthenticated*", "unary"],
    fails: {
      "status-internal-after-headers": /^header x-initial-form: expected \["headers-first"\], got nothing$/,
      "status-unauthenticated-after-headers": /^header x-initial-form: expected \["headers-first"\], got nothing$/,
    },
  },
  "binary trailers dropped": {
    options: { implementations: interop((base) => ({ echo: (call, cb) => (call.metadata.remove("x-trailing-data-bin"), base.echo(call, cb)) })) },
    cases: ["metadata-unary", "unary"],
    fails: { "metadata-unary": /trailer x-trailing-data-bin: expected \["\/wD\/","AQID"\], got nothing/ },
  },
  "cancellation not observed": {
    options: { implementations: interop(() => ({}), new BlindCallLog()) },
    cases: ["deadline-unary", "cancel-*", "unary"],
    fails: {
      "deadline-unary": /call report\.cancelled: expected true, got false/,
      "cancel-before-first-response": /call report\.cancelled: expected true, got false/,
      "cancel-after-first-response": /call report\.cancelled: expected true, got false/,
      "cancel-during-unary-work": /call report\.cancelled: expected true, got false/,
      "cancel-during-server-stream": /call report\.cancelled: expected true, got false/,
    },
  },
  "receive limit raised to 8 MiB": {
    options: { serverOptions: { "grpc.max_receive_message_length": 8 * 1024 * 1024 } },
    cases: ["request-*-limit", "unary"],
    fails: { "request-over-4mib-limit": /^status: expected RESOURCE_EXHAUSTED, got OK/ },
  },
  "stream one message short": {
    options: {
      implementations: interop((base) => ({
        streamOutput: (call: ServerWritableStream<StreamOutputRequest, EchoResponse>) =>
          base.streamOutput(Object.assign(call, { request: { ...call.request, responseCount: Math.max(0, call.request.responseCount - 1) } })),
      })),
    },
    cases: ["stream-10000-*", "empty-server-stream", "unary"],
    fails: { "stream-10000-responses": /^reply count: expected 10000, got 9999$/ },
  },
  "auth interceptor missing": {
    options: { serverOptions: { interceptors: [] } },
    cases: ["auth-*"],
    fails: {
      "auth-missing-token": /^status: expected UNAUTHENTICATED, got OK/,
      "auth-wrong-token": /^status: expected UNAUTHENTICATED, got OK/,
      "auth-missing-token-streaming": /^status: expected UNAUTHENTICATED, got OK/,
    },
  },
  "NOT_FOUND sent as INTERNAL": {
    options: {
      implementations: {
        users: ((base) => ({
          ...base,
          getUser: (call: ServerUnaryCall<GetUserRequest, User>, cb: sendUnaryData<User>) => base.getUser(call, (err, ...rest) => cb(err && { ...err, code: 13 }, ...rest)),
        }))(userService()),
      },
    },
    cases: ["user-get*", "auth-good-token"],
    fails: {
      "user-get-not-found": /^status: expected NOT_FOUND, got INTERNAL \("User no-such-user not found"\)$/,
      "user-get-empty-id": /^status: expected NOT_FOUND, got INTERNAL \("User  not found"\)$/,
    },
  },
};

describeServerMutants("a conformance bug in the TS server fails exactly the cells that cover it", MUTANTS, 60_000);
