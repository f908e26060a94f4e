// `npm run serve -- <name> [--port N] [--tick-ms 500] [--config FILE]`: one server of the registry
// (declared in interop.config.yaml, or built in) on its own, with the article's timing, for a
// person to attach a debugger, point grpcurl or a client at it, or run the matrix against it
// (`npm run interop -- --server-addr ADDR`). It starts as in the matrix (ready line, health
// check; an image: server as a container) and stays up until Ctrl-C (or SIGTERM), which stops it.
// Its own log (stderr) is passed through.
import { parseCommandLine, wholeNumber } from "./args.js";
import { UsageError } from "./errors.js";
import { loadSettings } from "./fixtures.js";
import { prepareConfig } from "./config/prepare-config.js";
import { peerRegistry } from "./config/registry.js";
import { startServer } from "./config/start-server.js";
import { ProcessRuntime } from "./runtime/process.js";
import type { PeerRuntime } from "./runtime/types.js";
import { ARTICLE_TICK_MS } from "./demo/run.js";
import { main, prepare } from "../scripts/prepare.js";

const USAGE = `usage: npm run serve -- <server> [--port N] [--tick-ms ${ARTICLE_TICK_MS}] [--config FILE]
<server> is any server of interop.config.yaml (or of --config FILE) or a built-in one.`;

export function parseServeArgs(argv: string[]): { server: string; port: number; tickMs: number } {
  const { values, positionals } = parseCommandLine(
    {
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: "string", default: "0" },
        "tick-ms": { type: "string", default: String(ARTICLE_TICK_MS) },
        config: { type: "string" },
        help: { type: "boolean", default: false },
      },
    },
    USAGE,
  );
  if (positionals.length !== 1) throw new UsageError(`name one server to start: ${USAGE}`);
  if (values.config) process.env.INTEROP_CONFIG = values.config;
  const server = positionals[0];
  const names = peerRegistry().serverNames;
  if (!names.includes(server)) throw new UsageError(`unknown server "${server}": choose from ${names.join(", ")}`);
  const port = wholeNumber("--port", values.port, 0, 65535, " (0 picks a free one)");
  const tickMs = wholeNumber("--tick-ms", values["tick-ms"], 0, 60_000, " ms");
  return { server, port, tickMs };
}

async function serve(): Promise<void> {
  const { server, port, tickMs } = parseServeArgs(process.argv.slice(2));
  await prepare();
  const decl = (await prepareConfig()).server(server)!;
  const runtime: PeerRuntime = decl.containerOnly ? await (await import("./runtime/container.js")).ContainerRuntime.forImageServers() : new ProcessRuntime();
  const handle = await startServer(runtime, decl, { tickMs, port, startTimeoutMs: loadSettings().serverStartTimeoutMs, onLog: (text) => process.stderr.write(text) })
    .catch(async (err: Error) => {
      await runtime.close();
      throw new UsageError(err.message);
    });
  console.log(`serving ${server} on ${handle.address} (Ctrl-C to stop)`);

  const stop = async (signal: string) => {
    console.error(`serve: ${signal}: stopping the ${server} server ...`);
    await handle.stop();
    await runtime.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
  // If the server dies on its own, say so and end too: there is nothing left to serve.
  const watch = setInterval(() => {
    const reason = handle.exitReason();
    if (!reason) return;
    clearInterval(watch);
    console.error(`serve: ${reason}`);
    void runtime.close().then(() => process.exit(1));
  }, 200);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(serve);
