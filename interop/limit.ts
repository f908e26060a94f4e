// How many things run at once: peers share 2 cores, and timing checks (streaming spread, bidi
// interleaving) are only meaningful when the machine is not swamped.

/** At most `limit` tasks at once, served in the order they asked. */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.free = Math.max(1, limit);
  }

  async run<R>(fn: () => Promise<R>): Promise<R> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/** fn over items, at most `limit` in flight, results in the items' order. */
export function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const slots = new Slots(limit);
  return Promise.all(items.map((item) => slots.run(() => fn(item))));
}
