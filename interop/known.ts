// Known-failing and known-flaky entries pin the failure they document. An entry excuses a cell
// only when the cell fails exactly that way: every difference line the comparator reported is
// matched by one of the entry's patterns, and every pattern matches some line. A listed cell
// that fails any other way is a plain failure, whose error shows the documented difference next
// to the actual one; a listed known-failing cell that passes is a failure too (a stale entry).
import { UsageError } from "./errors.js";

export interface KnownEntry {
  client: string;
  server: string;
  case: string;
  reason: string;
  /** Regexes (as written) the cell's difference lines must match. */
  difference: string[];
  /** The list it comes from (fixtures/known-failing.json or known-flaky.json), for messages. */
  source: string;
}

/** Checks one entry as read from a list; returns it with defaults, or throws one error line. */
export function parseKnownEntry(raw: unknown, source: string): KnownEntry {
  const e = (raw ?? {}) as Record<string, unknown>;
  const where = `${source}: entry ${JSON.stringify(raw)}`;
  if (typeof e.reason !== "string" || !e.reason) throw new UsageError(`${where} needs a "reason"`);
  const diff = e.difference;
  const patterns = typeof diff === "string" ? [diff] : Array.isArray(diff) && diff.length && diff.every((d) => typeof d === "string") ? (diff as string[]) : undefined;
  if (!patterns) {
    throw new UsageError(`${where} has no "difference": add the regex (or list of regexes) that the cell's difference lines must match, e.g. "^status: expected OK, got CANCELLED"`);
  }
  for (const p of patterns) {
    try {
      new RegExp(p);
    } catch (err) {
      throw new UsageError(`${where}: "difference" ${JSON.stringify(p)} is not a valid regex (${(err as Error).message})`);
    }
  }
  for (const k of ["client", "server", "case"]) {
    if (e[k] !== undefined && typeof e[k] !== "string") throw new UsageError(`${where}: "${k}" must be a glob string`);
  }
  return { client: "*", server: "*", case: "*", ...(e as object), reason: e.reason, difference: patterns, source } as KnownEntry;
}

export interface Explanation {
  /** The entry explains the failure: every line matched, every pattern used. */
  explained: boolean;
  /** Difference lines no pattern of the entry matches. */
  unexplained: string[];
  /** Patterns of the entry that match no line. */
  unmatched: string[];
}

/** The difference lines of a failed cell (the comparator's, one per line). */
export const differenceLines = (error: string | undefined) => (error ?? "").split("\n").filter((l) => l.trim() !== "");

export function explain(entry: KnownEntry, error: string | undefined): Explanation {
  const lines = differenceLines(error);
  const regexes = entry.difference.map((p) => new RegExp(p));
  const unexplained = lines.filter((l) => !regexes.some((r) => r.test(l)));
  const unmatched = entry.difference.filter((_, i) => !lines.some((l) => regexes[i].test(l)));
  return { explained: lines.length > 0 && unexplained.length === 0 && unmatched.length === 0, unexplained, unmatched };
}

const showPatterns = (entry: KnownEntry) => entry.difference.map((p) => `/${p}/`).join(", ");

/** The error of a listed cell that failed otherwise than documented: both differences, side by side. */
export function otherFailure(entry: KnownEntry, error: string | undefined, why: Explanation, listed = "known-failing"): string {
  const lines = differenceLines(error);
  return [
    `failed, but not as its ${listed} entry documents (${entry.source}: ${entry.reason})`,
    `documented difference: ${showPatterns(entry)}`,
    `actual difference:`,
    ...lines.map((l) => `  ${l}`),
    ...(why.unexplained.length ? [`not explained by the entry: ${why.unexplained.length} line(s)`] : []),
    ...(why.unmatched.length ? [`documented but not seen: ${why.unmatched.map((p) => `/${p}/`).join(", ")}`] : []),
  ].join("\n");
}

/** The error of a known-failing cell that passed: the entry is stale. */
export const stalePass = (entry: KnownEntry) =>
  `listed as known-failing (${entry.reason}) but it passed: remove its entry from ${entry.source} (documented difference: ${showPatterns(entry)})`;

/** What a cell's verdict is once its entries are applied. */
export interface Verdict {
  status: "passed" | "failed" | "known-failing";
  error?: string;
  /** Set when the cell is known-failing: the entry's reason. */
  knownFailingReason?: string;
  /** The patterns of the entry the cell is listed under, when it did not pass plainly. */
  documentedDifference?: string[];
}

/** Applies a known-failing entry to a cell's plain outcome. */
export function applyKnownFailing(entry: KnownEntry, outcome: { status: "passed" | "failed"; error?: string }): Verdict {
  if (outcome.status === "passed") return { status: "failed", error: stalePass(entry), documentedDifference: entry.difference };
  const why = explain(entry, outcome.error);
  if (why.explained) return { status: "known-failing", error: outcome.error, knownFailingReason: entry.reason, documentedDifference: entry.difference };
  return { status: "failed", error: otherFailure(entry, outcome.error, why), documentedDifference: entry.difference };
}
