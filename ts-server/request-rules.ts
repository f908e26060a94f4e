// The request rules of proto/interop_test.proto ("Request rules"): every integer field is checked
// before any work, so a nonsensical request gets INVALID_ARGUMENT instead of killing the server
// (Buffer.alloc(-1) throws inside an async handler: an unhandled rejection ends the process).
import { status } from "@grpc/grpc-js";
import type { EchoRequest, StreamOutputRequest } from "../gen/ts/interop_test.js";

export const MAX_SIZE = 16 * 1024 * 1024;
export const MAX_COUNT = 100_000;
export const MAX_STREAM_BYTES = 64 * 1024 * 1024;
export const MAX_MS = 60_000;
const MAX_CODE = 16;

export interface RuleError {
  code: number;
  details: string;
}

function range(field: string, value: number, max: number): string | undefined {
  return value < 0 || value > max ? `${field} ${value} is out of range [0, ${max}]` : undefined;
}

const invalid = (msg: string | undefined): RuleError | undefined => (msg ? { code: status.INVALID_ARGUMENT, details: msg } : undefined);

export function checkEcho(req: EchoRequest): RuleError | undefined {
  return invalid(
    range("response_size", req.responseSize, MAX_SIZE) ??
      range("sleep_ms", req.sleepMs, MAX_MS) ??
      (req.responseStatus && range("response_status.code", req.responseStatus.code, MAX_CODE)),
  );
}

/** StreamInput uses only sleep_ms and response_status of its requests: only they are checked. */
export function checkStreamInput(req: EchoRequest): RuleError | undefined {
  return invalid(range("sleep_ms", req.sleepMs, MAX_MS) ?? (req.responseStatus && range("response_status.code", req.responseStatus.code, MAX_CODE)));
}

export function checkStreamOutput(req: StreamOutputRequest): RuleError | undefined {
  const total = req.responseCount * req.responseSize;
  return invalid(
    req.responseSizes.map((n, i) => range(`response_sizes[${i}]`, n, MAX_SIZE)).find(Boolean) ??
      (req.responseStatus && range("response_status.code", req.responseStatus.code, MAX_CODE)) ??
      range("response_count", req.responseCount, MAX_COUNT) ??
      range("response_size", req.responseSize, MAX_SIZE) ??
      range("interval_ms", req.intervalMs, MAX_MS) ??
      range("initial_delay_ms", req.initialDelayMs, MAX_MS) ??
      (total > MAX_STREAM_BYTES ? `response_count * response_size = ${total} is over ${MAX_STREAM_BYTES}` : undefined),
  );
}

export function checkWaitMs(waitMs: number): RuleError | undefined {
  return invalid(range("wait_ms", waitMs, MAX_MS));
}
