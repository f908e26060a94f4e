// A stand-in for a team's server in the declared-server tests: a grpc-js server with health only.
// --crash (exit 3 at once), --port N (0: any), --health SERVING|NOT_SERVING|none, --say "text {addr}" (printed to stderr when
// listening), --pidfile F (its own pid, to check it is gone afterwards).
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Server, ServerCredentials } from "@grpc/grpc-js";
import { HealthImplementation } from "grpc-health-check";

const { values } = parseArgs({ options: { port: { type: "string", default: "0" }, health: { type: "string", default: "SERVING" }, say: { type: "string", default: "listening on {addr}" }, pidfile: { type: "string" }, crash: { type: "boolean" } } });
if (values.crash) {
  console.error("boom: config missing");
  process.exit(3);
}
if (values.pidfile) writeFileSync(values.pidfile, String(process.pid));
const server = new Server();
if (values.health !== "none") new HealthImplementation({ "": values.health }).addToServer(server);
server.bindAsync(`0.0.0.0:${values.port}`, ServerCredentials.createInsecure(), (err, port) => {
  if (err) {
    console.error(`cannot listen: ${err.message}`);
    process.exit(3);
  }
  console.error(values.say.replace("{addr}", `0.0.0.0:${port}`));
});
