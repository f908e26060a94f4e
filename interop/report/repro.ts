// The shell command that re-runs exactly one cell, as the run that failed it ran it: the same
// client, server (or --server-addr), case and runtime. Shown with every failure in the reports.
import type { CellRecord } from "./cell-record.js";

/** What the whole run was, beyond its cells. */
export interface RunInfo {
  /** The runtime the cells ran in ("process", "container"). */
  runtime: string;
  /** --server-addr, when the run tested an already running server. */
  serverAddr?: string;
  /** "shard-i-of-n" when the run was one shard (--shard); absent for a whole or merged run. */
  shard?: string;
}

/** Quotes a word for POSIX shells, only when it needs it. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function reproCommand(cell: Pick<CellRecord, "client" | "server" | "case">, run: RunInfo): string {
  const server = run.serverAddr ? ["--server-addr", run.serverAddr] : ["--server", cell.server];
  // --case takes a glob; a case name is a plain word, so it matches that case only.
  const args = ["--client", cell.client, ...server, "--case", cell.case, "--runtime", run.runtime];
  return ["npm", "run", "interop", "--", ...args].map(shellQuote).join(" ");
}
