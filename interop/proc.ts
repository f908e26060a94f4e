// The machine's processes as /proc shows them (Linux), for finding what a run started.
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessEntry {
  pid: number;
  ppid: number;
  pgid: number;
  /** "R", "S", ... "Z" for a zombie. */
  state: string;
}

export function listProcesses(): ProcessEntry[] {
  const out: ProcessEntry[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name, which may itself hold spaces and parentheses.
      const [state, ppid, pgid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.push({ pid: Number(entry), ppid: Number(ppid), pgid: Number(pgid), state });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** Live (not zombie) processes whose process group is pgid: a CLI and everything it started. */
export const processGroup = (pgid: number): number[] => listProcesses().filter((p) => p.pgid === pgid && p.state !== "Z").map((p) => p.pid);

export const commandLine = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
};
