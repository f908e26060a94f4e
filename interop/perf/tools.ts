// What `npm run perf` needs beyond the matrix's set-up: the go-perf binary, ghz (its own pinned
// module, interop/perf/ghz/go.mod) and the protoset ghz reads the test service from. Each is
// rebuilt only when its inputs change (content stamps, like scripts/prepare.ts).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { BUILD_DIR, ROOT } from "../paths.js";
import { run } from "../../scripts/lib/run.js";
import { hashFiles, isFresh, listFiles, writeStamp } from "../../scripts/lib/stamp.js";

export interface PerfTools {
  goPerf: string;
  ghz: string;
  protoset: string;
}

export async function ensurePerfTools(): Promise<PerfTools> {
  const dir = join(BUILD_DIR, "perf");
  mkdirSync(dir, { recursive: true });
  const tools = { goPerf: join(dir, "go-perf"), ghz: join(dir, "ghz"), protoset: join(dir, "interop_test.protoset") };
  const stamp = join(dir, ".stamp");
  const hash = hashFiles(listFiles(["interop/peers/go/perf", "interop/perf/ghz", "proto/interop_test.proto", "go.mod", "go.sum", "gen/go/interop"]));
  if (isFresh(stamp, hash)) return tools;
  console.error("perf: building go-perf, ghz (pinned in interop/perf/ghz/go.mod) and the test service's protoset ...");
  const hint = "check that the Go module proxy is reachable, then run again";
  await run("go", ["build", "-o", tools.goPerf, "./interop/peers/go/perf"], hint);
  await run("go", ["build", "-C", join(ROOT, "interop/perf/ghz"), "-o", tools.ghz, "github.com/bojand/ghz/cmd/ghz"], hint);
  await run(join(ROOT, "node_modules/.bin/buf"), ["build", "proto", "--path", "proto/interop_test.proto", "-o", tools.protoset], "fix the .proto and run again");
  writeStamp(stamp, hash);
  return tools;
}
