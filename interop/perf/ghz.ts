// The Go column's unary latencies come from ghz (github.com/bojand/ghz, pinned in
// interop/perf/ghz/go.mod: its own module, because ghz 0.93 needs an older grpc-go than the
// peers'), a load tool the Go world already uses. ghz times whole calls, which is what unary
// latency is; it cannot count messages inside a stream, so streams are go-perf's.
import { execa } from "execa";
import type { Latencies } from "./contract.js";

interface GhzReport {
  count: number;
  rps: number;
  latencyDistribution: { percentage: number; latency: number }[] | null;
  errorDistribution?: Record<string, number>;
}

export async function ghzUnary(ghz: string, protoset: string, address: string, concurrency: number, budgetMs: number, payloadBytes: number): Promise<Latencies> {
  const data = JSON.stringify({ payload: Buffer.alloc(payloadBytes).toString("base64") });
  const r = await execa(
    ghz,
    ["--insecure", "--protoset", protoset, "--call", "interop.InteropTest/Echo", "-d", data, "-c", String(concurrency), "-z", `${budgetMs}ms`, "-O", "json", address],
    { reject: false, timeout: budgetMs + 10_000 },
  );
  if (r.failed && !r.stdout) throw new Error(`ghz failed: ${String(r.stderr).trim().split("\n").pop()}`);
  const report = JSON.parse(String(r.stdout)) as GhzReport;
  const at = (p: number) => (report.latencyDistribution?.find((d) => d.percentage === p)?.latency ?? 0) / 1e6; // ns -> ms
  // When -z runs out, ghz closes its connection under the calls still in flight and counts them
  // as errors ("connection is closing" / "transport is closing"): those are ghz's, not the server's.
  const errors = Object.entries(report.errorDistribution ?? {}).filter(([msg]) => !/is closing/.test(msg)).reduce((t, [, n]) => t + n, 0);
  const ok = report.count - Object.values(report.errorDistribution ?? {}).reduce((t, n) => t + n, 0);
  return { calls: ok, errors, p50: at(50), p90: at(90), p99: at(99), perSec: report.rps };
}
