// Starts one declared stand-in server (declared-server.mjs, which knows nothing of --watch-stdin)
// through the ProcessRuntime, prints "started", and waits: the test then kills this process
// with SIGKILL and checks that the server went with it.
import { join } from "node:path";
import { ProcessRuntime } from "../../runtime/process.js";

const [pidFile] = process.argv.slice(2);
const script = join(import.meta.dirname, "declared-server.mjs");
const ready = { line: /listening on (\S+)/, what: "line matching /listening on (\\S+)/" };
const runtime = new ProcessRuntime({ server: { held: { file: process.execPath, args: [script, "--pidfile", pidFile], harnessFlags: false, ready } }, client: {} });
await runtime.startServer("held", { tickMs: 50, startTimeoutMs: 20_000 });
console.log("started");
setInterval(() => {}, 1000);
