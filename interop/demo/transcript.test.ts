// The transcript check on made-up transcripts: what it accepts, and each way it says no.
import { describe, expect, test } from "vitest";
import { checkTranscript, loadDemoFixture, type DemoFixture, type TranscriptLine } from "./transcript.js";

const fixture: DemoFixture = {
  source: "test",
  linePrefix: "\\d\\d:\\d\\d ",
  lines: [
    "[Unary]",
    "Response: Hello x",
    { regex: "^Stock: TSMC, Price: (\\d+\\.\\d{2})$", range: [500, 600], repeat: 3, tickApart: { toleranceMs: 200 } },
    "done",
  ],
};

/** Lines at the given times; a stock line every `tick` ms. */
const transcript = (prices: string[], tick = 500, extra: string[] = []): TranscriptLine[] => [
  { atMs: 0, text: "12:00 " },
  { atMs: 0, text: "[Unary]" },
  { atMs: 5, text: "12:00 Response: Hello x" },
  ...prices.map((p, i) => ({ atMs: 10 + i * tick, text: `12:00 Stock: TSMC, Price: ${p}` })),
  ...["done", ...extra].map((text) => ({ atMs: 2000, text })),
];

describe("checkTranscript", () => {
  test("accepts the expected lines: prefix optional, blank lines ignored", () => {
    expect(checkTranscript(fixture, transcript(["500.00", "573.25", "599.99"]), 500)).toEqual([]);
  });

  test("prices: the pattern and the range [500, 600)", () => {
    expect(checkTranscript(fixture, transcript(["500.00", "600.00", "550.00"]), 500)).toEqual([
      'line 4: "Stock: TSMC, Price: 600.00": 600.00 is outside [500, 600)',
    ]);
    expect(checkTranscript(fixture, transcript(["500.00", "550.1", "550.00"]), 500)[0]).toMatch(/^line 4: expected \/\^Stock: .* got "Stock: TSMC, Price: 550.1"$/);
  });

  test("stock lines one tick apart, within the stated tolerance", () => {
    expect(checkTranscript(fixture, transcript(["510.00", "520.00", "530.00"], 720), 500)).toEqual([
      "/^Stock: TSMC, Price: (\\d+\\.\\d{2})$/ lines 1 and 2 came 720 ms apart: expected 500 ± 200 ms",
      "/^Stock: TSMC, Price: (\\d+\\.\\d{2})$/ lines 2 and 3 came 720 ms apart: expected 500 ± 200 ms",
    ]);
    // All at once: a buffered stream, not the article's ticking one.
    expect(checkTranscript(fixture, transcript(["510.00", "520.00", "530.00"], 0), 500)).toHaveLength(2);
  });

  test("missing, changed and extra lines are named by position", () => {
    expect(checkTranscript(fixture, transcript(["510.00", "520.00"]), 500)).toEqual([
      'line 5: expected /^Stock: TSMC, Price: (\\d+\\.\\d{2})$/ with a number in [500, 600), got "done"',
      'line 6: missing; expected "done"',
    ]);
    expect(checkTranscript(fixture, transcript(["510.00", "520.00", "530.00"], 500, ["bye"]), 500)).toEqual(['line 7: unexpected extra line "bye"']);
  });

  test("every client's fixture loads and names its source", () => {
    for (const client of ["go", "python", "ts"]) expect(loadDemoFixture(client).source).toBeTruthy();
  });
});
