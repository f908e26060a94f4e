// A demo transcript and its check against the expected lines in fixtures/demo/<client>.json.
//
// A fixture lists the lines the article's client prints, in order. An entry is a literal line
// or a matcher: { regex, range?, repeat?, tickApart? }. `range: [lo, hi]` bounds the number in
// the regex's first group (lo <= n < hi); `repeat` expects that many lines in a row;
// `tickApart: { toleranceMs }` expects those lines to arrive one server tick apart, each gap
// within tick ± toleranceMs. Blank lines are ignored, and `linePrefix` (a regex, e.g. Go log's
// date and time) is stripped from the start of a line when present.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FIXTURES_DIR } from "../paths.js";

export interface TranscriptLine {
  /** ms since the client started */
  atMs: number;
  text: string;
}

export interface LineMatcher {
  regex: string;
  range?: [number, number];
  repeat?: number;
  tickApart?: { toleranceMs: number };
}

export interface DemoFixture {
  /** Which program the lines come from (for people reading the fixture). */
  source: string;
  linePrefix?: string;
  lines: (string | LineMatcher)[];
}

export const demoFixturePath = (client: string) => join(FIXTURES_DIR, "demo", `${client}.json`);

export function loadDemoFixture(client: string): DemoFixture {
  return JSON.parse(readFileSync(demoFixturePath(client), "utf8")) as DemoFixture;
}

/** What a line must be, after the fixture's repeats are expanded. */
interface Expected {
  entry: string | LineMatcher;
  /** Index of the entry in the fixture, so the lines of one `repeat` can be found together. */
  group: number;
}

/** Differences between a transcript and its fixture; an empty list means it matches. */
export function checkTranscript(fixture: DemoFixture, transcript: TranscriptLine[], tickMs: number): string[] {
  const prefix = fixture.linePrefix ? new RegExp(`^(?:${fixture.linePrefix})`) : undefined;
  const lines = transcript
    .map((l) => ({ ...l, text: prefix ? l.text.replace(prefix, "") : l.text }))
    .filter((l) => l.text.trim() !== "");
  const expected: Expected[] = fixture.lines.flatMap((entry, group) =>
    Array.from({ length: typeof entry === "string" ? 1 : (entry.repeat ?? 1) }, () => ({ entry, group })),
  );

  const problems: string[] = [];
  const n = Math.max(lines.length, expected.length);
  for (let i = 0; i < n; i++) {
    const got = lines[i];
    const want = expected[i];
    if (!want) problems.push(`line ${i + 1}: unexpected extra line ${JSON.stringify(got.text)}`);
    else if (!got) problems.push(`line ${i + 1}: missing; expected ${describe(want.entry)}`);
    else {
      const why = mismatch(want.entry, got.text);
      if (why) problems.push(`line ${i + 1}: ${why}`);
    }
  }
  if (problems.length === 0) problems.push(...checkTicks(fixture, expected, lines, tickMs));
  return problems;
}

function describe(entry: string | LineMatcher): string {
  if (typeof entry === "string") return JSON.stringify(entry);
  return `/${entry.regex}/` + (entry.range ? ` with a number in [${entry.range[0]}, ${entry.range[1]})` : "");
}

function mismatch(entry: string | LineMatcher, text: string): string | undefined {
  if (typeof entry === "string") return text === entry ? undefined : `expected ${JSON.stringify(entry)}, got ${JSON.stringify(text)}`;
  const m = new RegExp(entry.regex).exec(text);
  if (!m) return `expected ${describe(entry)}, got ${JSON.stringify(text)}`;
  if (entry.range) {
    const [lo, hi] = entry.range;
    const value = Number(m[1]);
    if (!(value >= lo && value < hi)) return `${JSON.stringify(text)}: ${m[1]} is outside [${lo}, ${hi})`;
  }
  return undefined;
}

/** Lines of a `tickApart` entry must come one server tick apart, within the stated tolerance. */
function checkTicks(fixture: DemoFixture, expected: Expected[], lines: TranscriptLine[], tickMs: number): string[] {
  const problems: string[] = [];
  fixture.lines.forEach((entry, group) => {
    if (typeof entry === "string" || !entry.tickApart) return;
    const { toleranceMs } = entry.tickApart;
    const at = expected.flatMap((e, i) => (e.group === group ? [lines[i].atMs] : []));
    for (let i = 1; i < at.length; i++) {
      const gap = at[i] - at[i - 1];
      if (Math.abs(gap - tickMs) > toleranceMs) {
        problems.push(`/${entry.regex}/ lines ${i} and ${i + 1} came ${Math.round(gap)} ms apart: expected ${tickMs} ± ${toleranceMs} ms`);
      }
    }
  });
  return problems;
}
