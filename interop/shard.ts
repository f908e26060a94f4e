// --shard i/n: a deterministic 1/n of the cells, for CI's parallel jobs. The unit of splitting is
// the client -> server pair, never the cell: a pair's cells run through one driver batch against
// one server instance, so splitting inside a pair would start that server in two shards.
// Pairs go, largest first, to the shard with the least work so far (ties: the lowest shard), so
// shards come out within one pair of each other whatever the filters select.
import { UsageError } from "./errors.js";

export interface Shard {
  /** 1-based. */
  index: number;
  total: number;
}

/** "2/3" -> { index: 2, total: 3 }, or one line saying what to write. */
export function parseShard(value: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(m?.[1]);
  const total = Number(m?.[2]);
  if (!m || total < 1 || index < 1 || index > total || total > 64) {
    throw new UsageError(`invalid --shard "${value}": write i/n with 1 <= i <= n <= 64, e.g. --shard 2/3`);
  }
  return { index, total };
}

/** A folder name for the shard's reports: "shard-2-of-3". */
export const shardName = ({ index, total }: Shard) => `shard-${index}-of-${total}`;

interface Pairable {
  client: string;
  server: string;
}

/** The cells of shard `shard`, in their planned order. `weight` estimates a cell's cost (default 1). */
export function selectShard<T extends Pairable>(cells: T[], shard: Shard, weight: (cell: T) => number = () => 1): T[] {
  const pairOf = (c: T) => `${c.client} -> ${c.server}`;
  const load = new Map<string, number>();
  for (const c of cells) load.set(pairOf(c), (load.get(pairOf(c)) ?? 0) + weight(c));
  // Heaviest first; the pair name breaks ties so the split never depends on Map order.
  const pairs = [...load.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const work = Array.from({ length: shard.total }, () => 0);
  const owner = new Map<string, number>();
  for (const [pair, w] of pairs) {
    const lightest = work.indexOf(Math.min(...work));
    owner.set(pair, lightest + 1);
    work[lightest] += w;
  }
  return cells.filter((c) => owner.get(pairOf(c)) === shard.index);
}
