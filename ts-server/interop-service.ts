// interop.InteropTest in TypeScript, as proto/interop_test.proto specifies: replies shaped by the
// request, metadata echo ("x-initial-*" as headers, "x-trailing-*" as trailers), both error forms
// (trailers-only, or headers then trailers), cancellable work, and call reports.
import { Metadata, type sendUnaryData, type ServerDuplexStream, type ServerReadableStream, type ServerUnaryCall, type ServerWritableStream, type ServiceError } from "@grpc/grpc-js";
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { EchoRequest as EchoRequestMessage, StreamOutputRequest as StreamOutputRequestMessage } from "../gen/ts/interop_test.js";
import type { CallReport, CallReportRequest, EchoRequest, EchoResponse, InteropTestServer, StreamInputSummary, StreamOutputRequest } from "../gen/ts/interop_test.js";
import { awaitLateCancel, CallLog } from "./call-log.js";
import { checkEcho, checkStreamInput, checkStreamOutput, checkWaitMs, type RuleError } from "./request-rules.js";

/** Splits the request metadata into what to echo as headers and as trailers. */
function echoMetadata(incoming: Metadata): { header: Metadata; trailer: Metadata } {
  const header = new Metadata();
  const trailer = new Metadata();
  for (const key of Object.keys(incoming.getMap())) {
    const target = key.startsWith("x-initial-") ? header : key.startsWith("x-trailing-") ? trailer : undefined;
    for (const v of target ? incoming.get(key) : []) target!.add(key, v);
  }
  return { header, trailer };
}

/** Waits ms, or resolves false as soon as the call is cancelled (client, or deadline). */
function work(call: { cancelled: boolean; on(e: "cancelled", l: () => void): unknown }, ms: number): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!call.cancelled);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(true), ms);
    call.on("cancelled", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

const ruleError = (e: RuleError, trailer: Metadata): ServiceError => Object.assign(new Error(e.details), { ...e, metadata: trailer });

function requestedError(req: EchoRequest, trailer: Metadata): ServiceError | undefined {
  const bad = checkEcho(req);
  if (bad) return ruleError(bad, trailer);
  return statusError(req, trailer);
}

/** The failure a request's response_status asks for (EchoRequest or StreamOutputRequest). */
function statusError(req: { responseStatus?: EchoRequest["responseStatus"]; statusDetails?: boolean }, trailer: Metadata): ServiceError | undefined {
  const st = req.responseStatus;
  if (!st || st.code === 0) return undefined;
  let metadata = trailer;
  if (req.statusDetails) {
    metadata = trailer.clone();
    const any = "responseCount" in req
      ? { type: "interop.StreamOutputRequest", bytes: StreamOutputRequestMessage.encode(req as StreamOutputRequest).finish() }
      : { type: "interop.EchoRequest", bytes: EchoRequestMessage.encode(req as EchoRequest).finish() };
    metadata.set("grpc-status-details-bin", statusDetailsBin(st.code, st.message, any));
  }
  return Object.assign(new Error(st.message), { code: st.code, details: st.message, metadata });
}

/** google.rpc.Status{code, message, details: [Any of the request]}, encoded by hand (no generated google.rpc here). */
function statusDetailsBin(code: number, message: string, detail: { type: string; bytes: Uint8Array }): Buffer {
  const any = new BinaryWriter().uint32(10).string(`type.googleapis.com/${detail.type}`).uint32(18).bytes(detail.bytes).finish();
  return Buffer.from(new BinaryWriter().uint32(8).int32(code).uint32(18).string(message).uint32(26).bytes(any).finish());
}

const reply = (req: EchoRequest): EchoResponse => ({ payload: req.responseSize > 0 ? Buffer.alloc(req.responseSize) : req.payload, index: req.index });

export function interopService(calls = new CallLog()): InteropTestServer {
  return {
    async echo(call: ServerUnaryCall<EchoRequest, EchoResponse>, callback: sendUnaryData<EchoResponse>) {
      const done = calls.start(call);
      const { header, trailer } = echoMetadata(call.metadata);
      try {
        const bad = checkEcho(call.request);
        if (bad) return callback(ruleError(bad, trailer));
        if (!(await work(call, call.request.sleepMs))) return; // grpc-js already ended the call
        const err = requestedError(call.request, trailer);
        if (err) {
          if (call.request.headersFirst) call.sendMetadata(header); // headers now, status in trailers
          return callback(err); // else nothing was sent yet: a trailers-only response
        }
        call.sendMetadata(header);
        callback(null, reply(call.request), trailer);
      } finally {
        done();
      }
    },

    async streamOutput(call: ServerWritableStream<StreamOutputRequest, EchoResponse>) {
      const done = calls.start(call);
      const { header, trailer } = echoMetadata(call.metadata);
      const bad = checkStreamOutput(call.request);
      if (bad) {
        done();
        return call.emit("error", ruleError(bad, trailer));
      }
      call.sendMetadata(header);
      const { responseCount, responseSize, responseSizes, intervalMs, initialDelayMs } = call.request;
      try {
        if (!(await work(call, initialDelayMs))) return;
        for (let i = 0; i < responseCount; i++) {
          if (i > 0 && !(await work(call, intervalMs))) return;
          const size = responseSizes[i] ?? responseSize;
          if (!call.write({ payload: Buffer.alloc(size), index: String(i) })) await new Promise((r) => call.once("drain", r));
        }
        const err = statusError(call.request, trailer);
        if (err) call.emit("error", err); // after the responses, in trailers
        else call.end(trailer);
      } finally {
        done();
      }
    },

    streamInput(call: ServerReadableStream<EchoRequest, StreamInputSummary>, callback: sendUnaryData<StreamInputSummary>) {
      const done = calls.start(call);
      const { header, trailer } = echoMetadata(call.metadata);
      call.sendMetadata(header);
      const sum: StreamInputSummary = { count: "0", payloadBytes: "0", inOrder: true };
      let count = 0;
      let bytes = 0;
      let failed = false;
      // Handle requests one at a time, in order: each may sleep first (sleep_ms).
      let queue = Promise.resolve();
      call.on("data", (req: EchoRequest) => {
        queue = queue.then(async () => {
          if (failed || call.cancelled) return;
          const bad = checkStreamInput(req);
          if (!bad && !(await work(call, req.sleepMs))) return;
          const err = bad ? ruleError(bad, trailer) : statusError(req, trailer);
          if (err) {
            failed = true; // ends the call as soon as the request asking for it arrives
            done();
            return callback(err);
          }
          sum.inOrder &&= Number(req.index) === count;
          count++;
          bytes += req.payload.length;
        });
      });
      call.on("end", () => void queue.then(async () => {
        if (failed || call.cancelled) return;
        if (await awaitLateCancel(call)) return done();
        done();
        callback(null, { ...sum, count: String(count), payloadBytes: String(bytes) }, trailer);
      }));
      call.on("cancelled", done);
    },

    fullDuplex(call: ServerDuplexStream<EchoRequest, EchoResponse>) {
      const done = calls.start(call);
      const { header, trailer } = echoMetadata(call.metadata);
      let headersSent = false;
      let ended = false; // ended with an error status: later requests are not answered
      const sendHeaders = () => {
        if (!headersSent) call.sendMetadata(header);
        headersSent = true;
      };
      // Handle requests one at a time, in order, each as Echo would.
      let queue = Promise.resolve();
      const held: EchoResponse[] = []; // half-duplex: replies kept until the half-close
      let holding = false;
      call.on("data", (req: EchoRequest) => {
        queue = queue.then(async () => {
          if (call.cancelled || ended) return;
          const bad = checkEcho(req);
          if (!bad && !(await work(call, req.sleepMs))) return;
          const err = requestedError(req, trailer);
          if (err) {
            if (req.headersFirst) sendHeaders();
            ended = true;
            call.emit("error", err);
            return done();
          }
          if ((holding ||= req.holdUntilHalfClose)) return void held.push(reply(req));
          sendHeaders();
          call.write(reply(req));
        });
      });
      call.on("end", () => void queue.then(async () => {
        if (ended) return;
        const cancelled = await awaitLateCancel(call);
        done();
        if (cancelled) return;
        sendHeaders();
        for (const r of held) call.write(r);
        call.end(trailer);
      }));
      call.on("cancelled", done);
    },

    async getCallReport(call: ServerUnaryCall<CallReportRequest, CallReport>, callback: sendUnaryData<CallReport>) {
      const bad = checkWaitMs(call.request.waitMs);
      if (bad) return callback(bad);
      callback(null, await calls.report(call.request.tag, call.request.waitMs));
    },
  };
}
