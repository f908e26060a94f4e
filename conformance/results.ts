// Reads connectconformance's text output (run with --vv) into one record per test case. The runner
// prints "Sending request for "<name>"..." for every case, "FAILED: <name>:" (or "... was expected
// to fail but did not") for each failure, "INFO: <name> failed (as expected):" for each listed
// failure, indented detail lines after those, and its own totals; we check ours against them.

export type CaseStatus = "passed" | "failed" | "known-failing" | "known-flaky";

export interface CaseResult {
  name: string;
  status: CaseStatus;
  message?: string;
}

export interface ModeTotals {
  total: number;
  passed: number;
  failed: number;
  /** Listed failures that failed (known-failing), and known-flaky cases that failed this time. */
  expectedFailures: number;
  couldNotRun: number;
}

/** `*` is one path component, `**` any number, as in the suite's own lists. */
export function matchesPattern(pattern: string, name: string): boolean {
  const p = pattern.split("/");
  const n = name.split("/");
  const go = (i: number, j: number): boolean => {
    if (i === p.length) return j === n.length;
    if (p[i] === "**") return Array.from({ length: n.length - j + 1 }, (_, k) => k).some((k) => go(i + 1, j + k));
    return j < n.length && (p[i] === "*" || p[i] === n[j]) && go(i + 1, j + 1);
  };
  return go(0, 0);
}

/** The patterns of a list file: non-empty lines, comments (#) dropped. */
export function readPatterns(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.replace(/#.*/, "").trim())
    .filter(Boolean);
}

export function parseRunnerOutput(output: string, flakyPatterns: string[]): { cases: CaseResult[]; totals: ModeTotals | undefined } {
  const lines = output.split("\n");
  const names = new Set<string>();
  const outcome = new Map<string, { status: CaseStatus; message?: string }>();
  let totals: ModeTotals | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const sent = /^Sending request for (".*")\.\.\.$/.exec(line);
    if (sent) names.add(JSON.parse(sent[1]) as string);
    const detail = () => {
      const out: string[] = [];
      while (i + 1 < lines.length && lines[i + 1].startsWith("\t")) out.push(lines[++i].slice(1));
      return out.join("\n").trim();
    };
    let m: RegExpExecArray | null;
    if ((m = /^FAILED: (.*) was expected to fail but did not$/.exec(line))) outcome.set(m[1], { status: "failed", message: "listed as known-failing, but passed: remove the stale entry" });
    else if ((m = /^FAILED: (.*):$/.exec(line))) outcome.set(m[1], { status: "failed", message: detail() });
    else if ((m = /^INFO: (.*) failed \(as expected\):$/.exec(line))) {
      const flaky = flakyPatterns.some((p) => matchesPattern(p, m![1]));
      outcome.set(m[1], { status: flaky ? "known-flaky" : "known-failing", message: detail() });
    } else if ((m = /^Total cases: (\d+)$/.exec(line))) {
      const counts = /^(\d+) passed, (\d+) failed$/.exec(lines[i + 1] ?? "");
      if (counts) totals = { total: Number(m[1]), passed: Number(counts[1]), failed: Number(counts[2]), expectedFailures: 0, couldNotRun: 0 };
    } else if (totals && (m = /^\(Another (\d+) failed as expected/.exec(line))) totals.expectedFailures = Number(m[1]);
    else if (totals && (m = /^Another (\d+) could not be run/.exec(line))) totals.couldNotRun = Number(m[1]);
  }
  for (const name of outcome.keys()) names.add(name);
  const cases = [...names].sort().map((name) => ({ name, ...(outcome.get(name) ?? { status: "passed" as const }) }));
  return { cases, totals };
}
