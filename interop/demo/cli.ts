// `npm run demo -- --server go|python|ts --client go|python|ts` (or `--all` for every pair):
// the article's demo. The server runs with the article's timing (a stock tick every 500 ms),
// the client prints the article's four sections as they happen, and each transcript is then
// checked against fixtures/demo/<client>.json. Exit 0 when every transcript matches.
import { relative } from "node:path";
import { parseCommandLine, wholeNumber } from "../args.js";
import { UsageError } from "../errors.js";
import { ROOT } from "../paths.js";
import { CLIENTS, SERVERS, type ClientName, type ServerName } from "../peers.js";
import { ProcessRuntime } from "../runtime/process.js";
import { main, prepare } from "../../scripts/prepare.js";
import { ARTICLE_TICK_MS, runDemos, type DemoPair } from "./run.js";
import { checkTranscript, demoFixturePath, loadDemoFixture } from "./transcript.js";

const USAGE = `usage: npm run demo -- --server ts|go|python --client ts|go|python [--tick-ms ${ARTICLE_TICK_MS}]
       npm run demo -- --all          every client against every server`;

export function parseDemoArgs(argv: string[]): { pairs: DemoPair[]; tickMs: number } {
  const { values } = parseCommandLine(
    {
      args: argv,
      options: {
        server: { type: "string" },
        client: { type: "string" },
        all: { type: "boolean", default: false },
        "tick-ms": { type: "string", default: String(ARTICLE_TICK_MS) },
        help: { type: "boolean", default: false },
      },
    },
    USAGE,
  );
  const tickMs = wholeNumber("--tick-ms", values["tick-ms"], 0, 60_000, " ms");
  if (values.all) {
    if (values.server || values.client) throw new UsageError("--all runs every pair: drop --server and --client, or drop --all");
    return { pairs: SERVERS.flatMap((server) => CLIENTS.map((client) => ({ server, client }))), tickMs };
  }
  if (!values.server || !values.client) throw new UsageError("name a --server and a --client (or pass --all): see --help");
  if (!SERVERS.includes(values.server as ServerName)) throw new UsageError(`unknown --server "${values.server}": choose from ${SERVERS.join(", ")}`);
  if (!CLIENTS.includes(values.client as ClientName)) throw new UsageError(`unknown --client "${values.client}": choose from ${CLIENTS.join(", ")}`);
  return { pairs: [{ server: values.server as ServerName, client: values.client as ClientName }], tickMs };
}

async function demo(): Promise<void> {
  const { pairs, tickMs } = parseDemoArgs(process.argv.slice(2));
  await prepare();
  const runtime = new ProcessRuntime();
  const stop = async (signal: string) => {
    console.error(`demo: ${signal}: stopping ...`);
    await runtime.close();
    process.exit(130);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));

  let bad = 0;
  await runDemos(pairs, {
    tickMs,
    runtime,
    onStart: ({ server, client }, address) =>
      console.log(`\n=== demo: ${client} client -> ${server} server at ${address} (a stock tick every ${tickMs} ms) ===`),
    onLine: (line) => console.log(line.text),
    onEnd: (result) => {
      const fixture = relative(ROOT, demoFixturePath(result.client));
      const problems = result.error ? [result.error] : checkTranscript(loadDemoFixture(result.client), result.lines, tickMs);
      if (problems.length === 0) console.log(`--- ✓ transcript matches ${fixture}`);
      else {
        bad++;
        console.log(`--- ✗ ${result.client} -> ${result.server}: transcript differs from ${fixture}:`);
        for (const p of problems) console.log(`      ${p}`);
      }
    },
  });
  await runtime.close();
  if (pairs.length > 1) console.log(`\n${pairs.length - bad} of ${pairs.length} demo transcripts match their fixtures`);
  process.exit(bad ? 1 : 0);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(demo);
