// What one perf cell measures and prints: every client language's perf driver (ts-client/perf.ts,
// interop/peers/go/perf + ghz, interop/peers/python/perf.py) prints one JSON line of this shape.

/** Unary latency at one concurrency, in ms. */
export interface Latencies {
  calls: number;
  errors: number;
  p50: number;
  p90: number;
  p99: number;
  perSec: number;
}

/** Messages (or ping-pong round trips) per second within one call. */
export interface Rate {
  messages: number;
  perSec: number;
}

export interface PerfFigures {
  unary?: { c1: Latencies; c16: Latencies };
  serverStreaming?: Rate;
  clientStreaming?: Rate;
  bidi?: Rate;
  /** What stopped the measurement, if anything did. */
  error?: string;
}

export interface PerfCell {
  client: string;
  server: string;
  /** Who measured what: "ghz (unary) + go-perf (streams)", "ts-perf", ... */
  tool: string;
  wallMs: number;
  figures: PerfFigures;
  /** Each figure divided by go -> go's in the same run (latency: >1 is slower; rates: <1 is slower). */
  ratios?: Record<string, number>;
  error?: string;
}

export interface PerfReport {
  machine: { cpus: number; model: string; node: string };
  settings: PerfSettings;
  cells: PerfCell[];
  wallMs: number;
}

export interface PerfSettings {
  /** Each measurement of a cell runs this long; five of them make a cell. */
  budgetMs: number;
  payloadBytes: number;
  /** Responses asked for per server-streaming call. */
  streamBatch: number;
  /** No cell may take longer (a hung driver is killed), and the run stops starting cells after runLimitMs. */
  cellLimitMs: number;
  runLimitMs: number;
}

/** The figures a cell reports, by key: name, how to read it, better when higher. */
export const METRICS = [
  { key: "unary.c1.p50", label: "unary p50 (c=1)", unit: "ms", higherIsBetter: false },
  { key: "unary.c1.p99", label: "unary p99 (c=1)", unit: "ms", higherIsBetter: false },
  { key: "unary.c16.p50", label: "unary p50 (c=16)", unit: "ms", higherIsBetter: false },
  { key: "unary.c16.p90", label: "unary p90 (c=16)", unit: "ms", higherIsBetter: false },
  { key: "unary.c16.p99", label: "unary p99 (c=16)", unit: "ms", higherIsBetter: false },
  { key: "serverStreaming.perSec", label: "server-streaming msg/s", unit: "/s", higherIsBetter: true },
  { key: "clientStreaming.perSec", label: "client-streaming msg/s", unit: "/s", higherIsBetter: true },
  { key: "bidi.perSec", label: "bidi round trips/s", unit: "/s", higherIsBetter: true },
] as const;

export function figure(f: PerfFigures, key: string): number | undefined {
  const v = key.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], f);
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}
