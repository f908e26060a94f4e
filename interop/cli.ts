// `npm run interop -- [flags]`: validates the flags, sets up what is missing, then runs the
// matrix in this process (interop/run-matrix.ts) and writes the reports (report/print-run.ts).
import { resolve } from "node:path";
import { parseCommandLine } from "./args.js";
import { UsageError } from "./errors.js";
import { prepareConfig } from "./config/prepare-config.js";
import { peerRegistry } from "./config/registry.js";
import type { Filters } from "./plan.js";
import { removeReports } from "./report/files.js";
import { countCells, printRunEnd } from "./report/print-run.js";
import { Progress } from "./report/progress.js";
import { runMatrix } from "./run-matrix.js";
import { MatrixSession } from "./session.js";
import { parseShard, shardName } from "./shard.js";
import { buildRunReport, reportsDirFor, writeReports } from "./report/write.js";
import { checkServerAddr, runConfigToEnv, type RunConfig } from "./run-config.js";
import { decideRuntime, describeDecision, RUNTIMES, type RuntimeChoice } from "./runtime/index.js";
import { main, prepare } from "../scripts/prepare.js";

const USAGE = `usage: npm run interop -- [--client NAME]... [--server NAME]...
         [--pattern unary|server-streaming|client-streaming|bidi]... [--case GLOB]... [--category NAME]...
         [--runtime process|container|auto] [--server-addr HOST:PORT] [--shard I/N] [--config FILE]
Each filter flag may be repeated; with none, every cell runs. Clients and servers are those of
interop.config.yaml (or --config FILE) and the built-in ones (clients ts, go, python; servers ts,
go, python, python-aio and the stubs). --server-addr tests a server that is already running (any
language) with every client, instead of the declared and built-in servers.
--shard I/N runs a deterministic 1/N of the cells, split by client -> server pair, and writes
its reports to reports/shard-I-of-N/ (merge them with \`npm run reports -- merge DIR...\`).`;

export function parseCli(argv: string[]): RunConfig {
  const { values } = parseCommandLine(
    {
      args: argv,
      options: {
        client: { type: "string", multiple: true, default: [] },
        server: { type: "string", multiple: true, default: [] },
        pattern: { type: "string", multiple: true, default: [] },
        case: { type: "string", multiple: true, default: [] },
        category: { type: "string", multiple: true, default: [] },
        runtime: { type: "string", default: process.env.INTEROP_RUNTIME || "auto" },
        "server-addr": { type: "string" },
        shard: { type: "string" },
        config: { type: "string" },
        help: { type: "boolean", default: false },
      },
    },
    USAGE,
  );
  if (!RUNTIMES.includes(values.runtime as RuntimeChoice)) throw new UsageError(`unknown --runtime "${values.runtime}": choose from ${RUNTIMES.join(", ")}`);
  const filters: Filters = { client: values.client, server: values.server, pattern: values.pattern, case: values.case, category: values.category };
  const serverAddr = values["server-addr"] === undefined ? undefined : checkServerAddr(values["server-addr"]);
  if (serverAddr && filters.server.length) throw new UsageError("--server-addr replaces the reference servers: drop --server");
  const shard = values.shard === undefined ? undefined : parseShard(values.shard);
  return { filters, runtime: values.runtime as RuntimeChoice, serverAddr, shard, configFile: values.config && resolve(values.config) };
}

async function interop(): Promise<void> {
  const config = parseCli(process.argv.slice(2));
  // Read now: a bad config is one line before anything starts.
  if (config.configFile) process.env.INTEROP_CONFIG = config.configFile;
  peerRegistry();
  // The previous run's reports go first: a run that fails to start must not leave them to be read as its own.
  removeReports(reportsDirFor({ runtime: "", shard: config.shard ? shardName(config.shard) : undefined }));
  // The run's first line: which runtime, and why.
  const decision = await decideRuntime(config.runtime);
  console.log(describeDecision(decision));
  config.runtime = decision.kind;
  // A container run loads testcontainers (about 0.2 s) while the set-up check runs.
  const loading = decision.kind === "container" ? import("./runtime/container-run.js") : undefined;
  loading?.catch(() => {}); // awaited below; a failure shows there
  await prepare();
  const containers = await loading;
  await containers?.buildImages();
  await prepareConfig(); // the config's own contract and its peers' build: commands
  Object.assign(process.env, runConfigToEnv(config), containers?.runEnv());
  // Plans the cells: an unknown name, a case naming no method or a bad filter is one line here.
  const session = await MatrixSession.create(config.filters, config.runtime, { serverAddr: config.serverAddr, shard: config.shard });
  console.error(`interop: ${session.cells.length} cell(s)${config.shard ? ` (${shardName(config.shard)} of ${session.plannedCount})` : ""}`);
  if (session.cells.length === 0) {
    // More shards than pairs: this shard has nothing to run. Its (empty) reports still merge.
    await session.close();
    const run = { runtime: decision.kind, serverAddr: config.serverAddr, shard: shardName(config.shard!) };
    writeReports(reportsDirFor(run), buildRunReport([], run));
    console.log(`${shardName(config.shard!)} has no cells: the filters select fewer client -> server pairs than shards\n0 passed, 0 failed`);
    return;
  }
  // Ctrl-C: what must happen is done synchronously, then the run ends. Process peers go by
  // themselves (their stdin pipe closes as this process exits); containers are removed by the
  // run's label.
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`interop: ${signal}: stopping every peer ...`);
    containers?.removeLeftoversNow();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const progress = new Progress(process.stdout);
  progress.addCells(session.cells.length);
  const records = await runMatrix(session, config, (record, cell) => progress.cellDone(cell.id, record.status === "failed"));
  progress.finish();
  const counts = countCells(records);
  printRunEnd(records, { runtime: session.runtime.kind, serverAddr: config.serverAddr, shard: config.shard && shardName(config.shard) }, counts);
  await containers?.removeLeftovers();
  // Exit only once the report is out: writes to a pipe (CI, execa) are asynchronous, and
  // process.exit would cut a long report short.
  await Promise.all([process.stdout, process.stderr].map((s) => new Promise((resolve) => s.write("", resolve))));
  process.exit(counts.failed > 0 ? 1 : 0);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(interop);
