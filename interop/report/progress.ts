// The live progress of a matrix run: cells done out of the total, and the failures so far.
// On a terminal it is one line, rewritten in place; elsewhere (CI logs, pipes) it is plain
// lines, one per tenth of the run or every few seconds, whichever comes first, so a long run
// shows it is alive without flooding the log.
export interface ProgressOutput {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export class Progress {
  private total = 0;
  private done = 0;
  private readonly failures: string[] = [];
  private lastPrintAt: number;
  private lastPrintDone = 0;
  private drawn = false;

  constructor(
    private readonly out: ProgressOutput,
    private readonly now: () => number = Date.now,
    private readonly everyMs = 5000,
  ) {
    this.lastPrintAt = now();
  }

  /** More cells are known (vitest collects test files one by one). */
  addCells(n: number): void {
    this.total += n;
  }

  cellDone(name: string, failed: boolean): void {
    this.done++;
    if (failed) this.failures.push(name);
    if (this.out.isTTY) {
      // Cut to the terminal's width: a wrapped line cannot be rewritten with \r.
      const width = Math.max(20, (this.out.columns || 100) - 1); // columns is 0 when the terminal reports no size
      this.out.write(`\r\x1b[K${this.line().slice(0, width)}`);
      this.drawn = true;
      return;
    }
    const step = Math.max(1, Math.ceil(this.total / 10));
    const due = this.done >= this.total || this.done - this.lastPrintDone >= step || this.now() - this.lastPrintAt >= this.everyMs;
    if (!due) return;
    this.out.write(this.line() + "\n");
    this.lastPrintAt = this.now();
    this.lastPrintDone = this.done;
  }

  line(): string {
    const shown = this.failures.slice(-3).join("; ");
    const more = this.failures.length > 3 ? "...; " : "";
    const failed = this.failures.length ? `${this.failures.length} failed (${more}${shown})` : "0 failed";
    return `progress: ${this.done}/${this.total} cells, ${failed}`;
  }

  /** Clears the live line before the final reports are printed. */
  finish(): void {
    if (this.drawn) this.out.write("\r\x1b[K");
    this.drawn = false;
  }
}
