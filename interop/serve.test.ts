// `npm run serve`: one reference server on its own, its address printed, reachable by any
// client, and gone after Ctrl-C.
import { connect } from "node:net";
import { execa } from "execa";
import { expect, test } from "vitest";
import { ROOT } from "./paths.js";
import { ProcessRuntime } from "./runtime/process.js";
import { peerRegistry } from "./config/registry.js";

const serve = (args: string[]) =>
  execa(process.execPath, ["--import", "tsx", "interop/serve.ts", ...args], { cwd: ROOT, reject: false, timeout: 60_000 });

const refused = (address: string) =>
  new Promise<boolean>((resolve) => {
    const [host, port] = address.split(":");
    const socket = connect(Number(port), host);
    socket.once("connect", () => (socket.destroy(), resolve(false)));
    socket.once("error", () => resolve(true));
  });

test("serves go until Ctrl-C, printing its address; then the server is stopped", async () => {
  const child = serve(["go", "--tick-ms", "50"]);
  const address = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`no "serving" line within 30 s: ${out}`)), 30_000);
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /^serving go on (127\.0\.0\.1:\d+) \(Ctrl-C to stop\)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  const runtime = new ProcessRuntime();
  const spec = { name: "x", method: "greeter.Greeter/SayHello", requests: [{ name: "serve" }] };
  const run = await runtime.runClient("python", ["--addr", address, "--case-json", JSON.stringify(spec)], { timeoutMs: 15_000 }).done;
  await runtime.close();
  expect(JSON.parse(run.stdout).responses[0].message).toEqual({ message: "Hello serve" });

  child.kill("SIGINT");
  const r = await child;
  expect(r.exitCode).toBe(0);
  expect(String(r.stderr)).toContain("serve: SIGINT: stopping the go server");
  expect(await refused(address)).toBe(true);
}, 60_000);

test.each([
  [["rust"], `error: unknown server "rust": choose from ${peerRegistry().serverNames.join(", ")}`],
  [["go", "--port", "70000"], 'error: --port must be 0-65535 (0 picks a free one), got "70000"'],
])("bad input %j is one line and exit 2", async (args, message) => {
  const r = await serve(args);
  expect(r.exitCode).toBe(2);
  expect(String(r.stderr).trim()).toBe(message);
}, 30_000);
