// What the server saw of calls tagged "x-interop-tag" (deadline left at the start, whether the
// call was cancelled before the handler finished), for interop.InteropTest/GetCallReport.
import type { Metadata } from "@grpc/grpc-js";
import { CallReport } from "../gen/ts/interop_test.js";

interface TrackedCall {
  metadata: Metadata;
  getDeadline(): Date | number;
  on(event: "cancelled", listener: () => void): unknown;
}

const MAX_RECORDS = 10_000;

/**
 * A client's cancel can reach the handler as a clean end of the request stream, with the
 * RST_STREAM a moment later (seen with grpc-js clients). So a tagged call whose requests ended
 * waits this long for a cancellation before finishing normally. Resolves true if it was cancelled.
 * 250 ms (it was 50): on a busy 2-core machine (both cores loaded, the matrix running) the reset
 * came more than 50 ms after the end of the requests, and the report said "not cancelled".
 */
export function awaitLateCancel(call: TrackedCall & { cancelled: boolean }, windowMs = 250): Promise<boolean> {
  if (call.cancelled) return Promise.resolve(true);
  if (call.metadata.get("x-interop-tag").length === 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(call.cancelled), windowMs);
    call.on("cancelled", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export class CallLog {
  private readonly records = new Map<string, CallReport>();

  /** Starts recording a tagged call; returns the function to call when the handler is done. */
  start(call: TrackedCall): () => void {
    const tag = call.metadata.get("x-interop-tag")[0];
    if (tag === undefined) return () => {};
    const deadline = call.getDeadline();
    const deadlineMs = deadline instanceof Date ? deadline.getTime() - Date.now() : Number.isFinite(deadline) ? deadline - Date.now() : 0;
    const hasDeadline = deadline instanceof Date || Number.isFinite(deadline);
    const rec = CallReport.fromPartial({ found: true, hasDeadline, deadlineMs: String(hasDeadline ? Math.round(deadlineMs) : 0) });
    let cancelledAt = 0;
    if (this.records.size >= MAX_RECORDS) this.records.delete(this.records.keys().next().value!);
    this.records.set(String(tag), rec);
    call.on("cancelled", () => {
      if (rec.finished) return;
      rec.cancelled = true;
      cancelledAt = performance.now();
    });
    return () => {
      if (rec.finished) return;
      rec.finished = true;
      // How long the handler ran on after the cancel: a server that stops its work reports ~0.
      if (rec.cancelled) rec.msAfterCancel = String(Math.round(performance.now() - cancelledAt));
    };
  }

  /** Waits up to waitMs for the tagged call to finish, then reports it. */
  async report(tag: string, waitMs: number): Promise<CallReport> {
    const until = Date.now() + waitMs;
    for (;;) {
      const rec = this.records.get(tag);
      if ((rec && rec.finished) || Date.now() >= until) return rec ? { ...rec } : CallReport.fromPartial({ found: false });
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
