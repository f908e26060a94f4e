import { describe, expect, test } from "vitest";
import type { CellMeta } from "./cell-meta.js";
import { toCellRecord, type CellRecord } from "./cell-record.js";
import { renderFailures, renderGrids } from "./grid.js";
import { renderJunit } from "./junit.js";

const meta = (over: Partial<CellMeta> = {}): CellMeta => ({
  runtime: "process", client: "go", server: "ts", pattern: "unary", case: "unary", category: "core", durationMs: 12, seq: 0, ...over,
});

describe("toCellRecord", () => {
  test("plain cells take vitest's verdict", () => {
    expect(toCellRecord(meta(), "passed").status).toBe("passed");
    expect(toCellRecord(meta({ error: "status: expected OK, got INTERNAL" }), "failed")).toMatchObject({ status: "failed", error: "status: expected OK, got INTERNAL" });
    expect(toCellRecord(meta(), "failed", "Test timed out in 9000ms.")).toMatchObject({ status: "failed", error: "Test timed out in 9000ms." });
  });

  test("a cell the session judged known-failing is known-failing; a listed cell whose test failed is failed, with its error", () => {
    const known = meta({ knownFailingReason: "grpc-js never compresses responses", documentedDifference: ["^boom$"], error: "boom" });
    expect(toCellRecord(known, "passed")).toMatchObject({ status: "known-failing", error: "boom", documentedDifference: ["^boom$"] });
    const other = toCellRecord(meta({ documentedDifference: ["^boom$"], error: "failed, but not as its known-failing entry documents" }), "failed");
    expect(other).toMatchObject({ status: "failed", documentedDifference: ["^boom$"], error: "failed, but not as its known-failing entry documents" });
    expect(other.knownFailingReason).toBeUndefined();
  });
});

describe("reports", () => {
  const cells: CellRecord[] = [
    { ...toCellRecord(meta(), "passed") },
    { ...toCellRecord(meta({ client: "python", error: 'reply[0].message: expected "Hello x", got "Hi x"' }), "failed") },
    { ...toCellRecord(meta({ client: "ts", knownFailingReason: "why", error: "e" }), "passed") },
  ];

  test("the grid marks each pair", () => {
    const grid = renderGrids(cells);
    expect(grid).toMatch(/^unary$/m);
    expect(grid).toMatch(/^\s+go\s+✓/m);
    expect(grid).toMatch(/^\s+python\s+✗/m);
    expect(grid).toMatch(/^\s+ts\s+~/m);
    expect(renderFailures(cells)).toContain('FAIL python -> ts | unary\n    reply[0].message: expected "Hello x", got "Hi x"');
  });

  test("junit has a failure per failed cell and a skipped entry with the reason per known-failing one", () => {
    const xml = renderJunit(cells, "process");
    expect(xml).toContain('tests="3" failures="1" skipped="1"');
    expect(xml).toContain('<failure message="reply[0].message: expected &quot;Hello x&quot;, got &quot;Hi x&quot;">');
    expect(xml).toContain('<skipped message="known-failing: why">e</skipped>');
  });
});
