// fixtures/cases/fuzz.json is generated: it must be exactly what the contract produces now, so a
// new integer field (or method) is fuzzed as soon as it is added to proto/.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { contractDescriptors, FUZZ_FILE, fuzzCases, fuzzFixture } from "./cases.js";

describe("fuzz cases", () => {
  it("fixtures/cases/fuzz.json is up to date with proto/ (else run `npm run fuzz-cases`)", () => {
    expect(readFileSync(FUZZ_FILE, "utf8")).toBe(fuzzFixture());
  });

  it("covers every integer field of every InteropTest method at -1, 0, min and max", () => {
    const names = (fuzzCases(contractDescriptors()) as { name: string }[]).map((c) => c.name);
    for (const method of ["echo", "stream-output", "stream-input", "full-duplex"]) {
      for (const field of ["response-size", "sleep-ms", "index", "response-status-code"].filter((f) => method !== "stream-output" || f === "response-size")) {
        for (const label of ["neg1", "zero", "min", "max"]) expect(names).toContain(`fuzz-interop-test-${method}-${field}-${label}`);
      }
    }
    for (const field of ["response-count", "interval-ms", "initial-delay-ms"]) expect(names).toContain(`fuzz-interop-test-stream-output-${field}-min`);
    expect(names).toContain("fuzz-interop-test-get-call-report-wait-ms-max");
  });
});
