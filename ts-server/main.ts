// ts-server CLI: the same flags and ready lines as the Go and Python reference servers
// (LISTENING-TLS / LISTENING-MTLS before LISTENING), so the harness starts all of them alike.
import { parseArgs } from "node:util";
import { startTsServer } from "./server.js";

const { values } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "0" },
    "tick-ms": { type: "string", default: "500" },
    "watch-stdin": { type: "boolean", default: false },
    "tls-cert": { type: "string" },
    "tls-key": { type: "string" },
    "tls-client-ca": { type: "string" },
  },
});
const port = Number(values.port);
try {
  const tls = values["tls-cert"] && values["tls-key"] ? { certFile: values["tls-cert"], keyFile: values["tls-key"], clientCaFile: values["tls-client-ca"] } : undefined;
  const running = await startTsServer({ host: values.host, port, tickMs: Number(values["tick-ms"]), tls });
  if (values["watch-stdin"]) {
    // The harness holds stdin open; when it goes away (even killed), so does this server.
    process.stdin.on("end", () => process.exit(0)).resume();
  }
  console.error(`gRPC Server started at ${running.address}`);
  if (running.tlsAddress) console.log(`LISTENING-TLS ${running.tlsAddress}`);
  if (running.mtlsAddress) console.log(`LISTENING-MTLS ${running.mtlsAddress}`);
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
