import { describe, expect, it } from "vitest";
import { matchesPattern, parseRunnerOutput, readPatterns } from "./results.js";

describe("connectconformance output", () => {
  it("matches patterns by path component, as the suite does", () => {
    const name = "Basic/HTTPVersion:2/Protocol:PROTOCOL_GRPC/Codec:CODEC_PROTO/Compression:COMPRESSION_GZIP/TLS:false/unary/success";
    expect(matchesPattern("Basic/**/unary/success", name)).toBe(true);
    expect(matchesPattern("Basic/*/*/*/*/*/unary/success", name)).toBe(true);
    expect(matchesPattern("Basic/*/*/*/*/*/unary/success", name.replace("TLS:false/", "TLS:false/(grpc client impl)/"))).toBe(false);
    expect(matchesPattern("Basic/**/client-stream/success", name)).toBe(false);
    expect(matchesPattern("Basic/*/unary/success", name)).toBe(false);
  });

  it("reads every case, its outcome and the runner's totals", () => {
    const out = [
      'Sending request for "S/a"...',
      'Sending request for "S/b"...',
      'Sending request for "S/c"...',
      'Sending request for "S/d"...',
      "FAILED: S/b:",
      "\texpecting 2 response messages but instead got 1",
      "FAILED: S/c was expected to fail but did not",
      "INFO: S/d failed (as expected):",
      "\tactual error {code: 2 (unknown)}",
      "",
      "Total cases: 4",
      "1 passed, 2 failed",
      "(Another 1 failed as expected due to being known failures/flakes.)",
    ].join("\n");
    const { cases, totals } = parseRunnerOutput(out, []);
    expect(cases).toEqual([
      { name: "S/a", status: "passed" },
      { name: "S/b", status: "failed", message: "expecting 2 response messages but instead got 1" },
      { name: "S/c", status: "failed", message: "listed as known-failing, but passed: remove the stale entry" },
      { name: "S/d", status: "known-failing", message: "actual error {code: 2 (unknown)}" },
    ]);
    expect(totals).toEqual({ total: 4, passed: 1, failed: 2, expectedFailures: 1, couldNotRun: 0 });
    expect(parseRunnerOutput(out, ["S/d"]).cases[3].status).toBe("known-flaky");
  });

  it("drops comments and blank lines from a list file", () => {
    expect(readPatterns("# why\nA/**/x\n\n  B/* # trailing\n")).toEqual(["A/**/x", "B/*"]);
  });
});
