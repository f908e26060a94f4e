// Issue 6's "done when": a run with one failing cell writes an HTML report whose repro command,
// pasted into a shell, re-runs exactly that cell and fails it again. The failing cell comes
// from a deliberately broken Greeter (SayHello says "Hi", not "Hello") served in this process
// and tested with --server-addr; the Go client and the core cases keep the first run to 4 cells, 1 failing.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Server, ServerCredentials } from "@grpc/grpc-js";
import { execa } from "execa";
import { afterAll, expect, test } from "vitest";
import { GreeterService, type GreeterServer } from "../../gen/ts/greeter.js";
import { greeterService } from "../../ts-server/greeter-service.js";
import { ROOT } from "../paths.js";

const dir = mkdtempSync(join(tmpdir(), "interop-repro-"));
const server = new Server();
afterAll(() => {
  server.forceShutdown();
  rmSync(dir, { recursive: true, force: true });
});

const unescapeHtml = (s: string) =>
  s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
const readCells = (reports: string) => JSON.parse(readFileSync(join(reports, "interop.json"), "utf8")).cells as { client: string; case: string; status: string }[];

test("the HTML report's repro command re-runs exactly the failing cell, and it fails again", async () => {
  const broken: GreeterServer = { ...greeterService({ tickMs: 50, log: () => {} }), sayHello: (call, cb) => cb(null, { message: "Hi " + call.request.name }) };
  server.addService(GreeterService, broken);
  const port = await new Promise<number>((res, rej) => server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  const addr = `127.0.0.1:${port}`;

  const first = join(dir, "first");
  const summary = join(dir, "step-summary.md");
  const run1 = await execa(process.execPath, ["--import", "tsx", "interop/cli.ts", "--client", "go", "--runtime", "process", "--server-addr", addr, ...["unary", "server-streaming", "client-streaming", "bidi"].flatMap((c) => ["--case", c])], {
    cwd: ROOT, reject: false, timeout: 90_000, env: { INTEROP_REPORTS_DIR: first, GITHUB_STEP_SUMMARY: summary },
  });
  expect(run1.exitCode, String(run1.stdout)).toBe(1);
  expect(readCells(first).map((c) => `${c.case}:${c.status}`).sort()).toEqual(["bidi:passed", "client-streaming:passed", "server-streaming:passed", "unary:failed"]);
  expect(readFileSync(summary, "utf8")).toContain(`### ✗ go -> ${addr} \\| unary (failed)`);

  const html = readFileSync(join(first, "index.html"), "utf8");
  const commands = [...html.matchAll(/<code class="repro">([^<]*)<\/code>/g)].map((m) => unescapeHtml(m[1]));
  expect(commands).toEqual([`npm run interop -- --client go --server-addr ${addr} --case unary --runtime process`]);
  expect(html).toContain("reply[0].message: expected &quot;Hello interop&quot;, got &quot;Hi interop&quot;");

  // Paste it into a shell, as a person would.
  const second = join(dir, "second");
  const run2 = await execa("sh", ["-c", commands[0]], { cwd: ROOT, reject: false, timeout: 120_000, env: { INTEROP_REPORTS_DIR: second } });
  expect(run2.exitCode, String(run2.stdout)).not.toBe(0);
  expect(String(run2.stdout)).toMatch(/^0 passed, 1 failed$/m);
  expect(readCells(second)).toMatchObject([{ client: "go", case: "unary", status: "failed" }]);
}, 240_000);
