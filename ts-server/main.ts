// ts-server CLI: the same flags and ready line ("LISTENING host:port") as the Go and Python
// reference servers, so the harness starts all three alike.
import { parseArgs } from "node:util";
import { startTsServer } from "./server.js";

const { values } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "0" },
    "tick-ms": { type: "string", default: "500" },
    "watch-stdin": { type: "boolean", default: false },
  },
});
const port = Number(values.port);
try {
  const running = await startTsServer({ host: values.host, port, tickMs: Number(values["tick-ms"]) });
  if (values["watch-stdin"]) {
    // The harness holds stdin open; when it goes away (even killed), so does this server.
    process.stdin.on("end", () => process.exit(0)).resume();
  }
  console.error(`gRPC Server started at ${running.address}`);
  console.log(`LISTENING ${running.address}`);
} catch (err) {
  const msg = String((err as Error).message ?? err);
  console.error(
    /EADDRINUSE|address already in use/i.test(msg)
      ? `ts-server: port ${port} on ${values.host} is in use: stop what holds it or pass another --port (0 picks a free one)`
      : `ts-server: cannot listen on ${values.host}:${port}: ${msg}`,
  );
  process.exit(2);
}
