// interop.config.yaml: what a valid file declares, and for each kind of mistake the ONE line that
// names the file, the key and what to write.
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, test } from "vitest";
import { ROOT } from "../paths.js";
import { splitCommand } from "./command-line.js";
import { loadRegistry } from "./registry.js";

function configFile(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "interop-config-"));
  mkdirSync(join(dir, "proto"));
  mkdirSync(join(dir, "cases"));
  mkdirSync(join(dir, "fixtures", "cases"), { recursive: true });
  writeFileSync(join(dir, "interop.config.yaml"), yaml);
  return join(dir, "interop.config.yaml");
}

const errorOf = (yaml: string) => {
  const file = configFile(yaml);
  try {
    loadRegistry(file);
  } catch (e) {
    return (e as Error).message.replace(file, "FILE");
  }
  throw new Error("no error");
};

describe("a valid config", () => {
  test("declares servers and clients beside the built-in peers, paths relative to the file, placeholders filled", () => {
    const file = configFile(`
protos: proto
cases: [cases]
servers:
  orders:
    start: node ../orders-svc/main.js --port {port} --protos {protos} --root {root} --host {host}
    ready: "listening on (\\\\S+)"
    fresh: client
    services: [shop.orders.v2.Orders]
  boxed:
    image: my-team/orders:1.4
    args: ["--port", "{port}"]
    env: { ORDERS_PROTOS: "{protos}" }
    ready: "ready"
clients:
  orders-client:
    command: node "../orders svc/driver.js" --x 'a b'
`);
    const dir = join(file, "..");
    const registry = loadRegistry(file);
    expect(registry.serverNames).toEqual(["orders", "boxed", "go", "python", "python-aio", "go-stub", "python-stub", "python-aio-stub", "go-official"]);
    expect(registry.clientNames).toEqual(["orders-client", "go", "python", "go-official"]);
    const orders = registry.server("orders")!;
    expect(orders.process).toMatchObject({
      file: "node",
      args: [join(dir, "../orders-svc/main.js").replace(/^.*$/, "../orders-svc/main.js"), "--port", "{port}", "--protos", join(dir, "proto"), "--root", ROOT, "--host", "127.0.0.1"],
      cwd: dir,
      harnessFlags: false,
    });
    expect(orders.fresh).toBe("client");
    expect(orders.services).toEqual(["shop.orders.v2.Orders"]);
    expect(orders.process!.ready!.line.exec("listening on 127.0.0.1:5")?.[1]).toBe("127.0.0.1:5");
    const boxed = registry.server("boxed")!;
    expect(boxed).toMatchObject({ containerOnly: true, fresh: "run", services: ["*"], container: { image: "my-team/orders:1.4", args: ["--port", "{port}"], env: { ORDERS_PROTOS: join(dir, "proto") } } });
    expect(registry.clients.get("orders-client")!.process).toMatchObject({ file: "node", args: ["../orders svc/driver.js", "--x", "a b"], cwd: dir });
    expect(registry.config.cases).toEqual([join(dir, "cases")]);
  });

  test("the repository's own interop.config.yaml declares the ts server and client; the reference peers are built in", () => {
    const registry = loadRegistry(join(ROOT, "interop.config.yaml"));
    expect(registry.serverNames.slice(0, 1)).toEqual(["ts"]);
    expect(registry.serverNames).toEqual(expect.arrayContaining(["ts", "go", "python", "python-aio"]));
    expect(registry.clientNames).toEqual(expect.arrayContaining(["ts", "go", "python"]));
    expect(registry.server("ts")!.origin).toBe("interop.config.yaml");
    expect(registry.server("go")!.origin).toBe("built-in");
  });
});

describe("one line per mistake: the file, the key, what to write", () => {
  const server = (body: string) => `servers:\n  orders:\n${body.split("\n").map((l) => `    ${l}`).join("\n")}\n`;
  test.each([
    ["a wrong top-level key", "servres: {}", 'FILE: servres: unknown key (did you mean servers?): write one of protos, cases, servers, clients'],
    ["a wrong server key", server('start: x --port {port}\nready: "r"\nfreh: client'), "FILE: servers.orders.freh: unknown key (did you mean fresh?): write one of start, image, args, env, ready, readyTls, readyMtls, harnessFlags, fresh, services, build, startTimeoutMs"],
    ["a missing command", server('ready: "on (\\\\S+)"'), "FILE: servers.orders.start: missing: a server needs a command or an image: write start: node server.js --port {port}   (or image: <local image>)"],
    ["a client without a command", "clients:\n  c:\n    env: { A: b }", "FILE: clients.c.command: missing: write command: node driver.js   # speaks the driver contract (--addr, --cases-file)"],
    ["a bad regex", server('start: x\nready: "on (\\\\S+"'), "FILE: servers.orders.ready: not a valid regular expression (Invalid regular expression: /on (\\S+/: Unterminated group): write ready: \"listening on (\\\\S+)\"   # group 1, if any, is the address"],
    ["a missing ready", server("start: x --port {port}"), 'FILE: servers.orders.ready: missing: write ready: "listening on (\\\\S+)"   # group 1, if any, is the address'],
    ["a bad fresh", server('start: x --port {port}\nready: r\nfresh: always'), 'FILE: servers.orders.fresh: the string "always" is not one of run, client: write fresh: run   # one instance per run; or fresh: client, one per client driver'],
    ["an unknown placeholder", server('start: x --port {prot}\nready: r'), "FILE: servers.orders.start: unknown placeholder {prot} (known: {host} {port} {protos} {root} {out}): write start: node server.js --port {port}"],
    ["{port} in a build command", server('start: x --port {port}\nready: r\nbuild: gen {port}'), "FILE: servers.orders.build: {port} cannot be used here (known: {protos} {out} {root}): write build: npx buf generate {protos} --template buf.gen.yaml -o {out}"],
    ["{out} without build", server('start: x --port {port} --gen {out}\nready: r'), "FILE: servers.orders.start: {out} is the output of a build: command, and there is none: write build: <command with {protos} and {out}>, or drop {out}"],
    ["a ready line without address and no {port}", server('start: x\nready: "ready"'), 'FILE: servers.orders.ready: the ready line has no group 1 (the address) and the server is not given {port}: write ready: "listening on (\\\\S+)", or pass --port {port} in start:'],
    ["start and image", server('start: x --port {port}\nimage: y\nready: r'), "FILE: servers.orders.image: a server has either start: (a command) or image: (a container), not both: write one of them"],
    ["a shell pipeline", server('start: x --port {port} | tee log\nready: r'), 'FILE: servers.orders.start: "|" is a shell operator and no shell runs this command: write one program and its arguments (put a pipeline in a script): write start: node server.js --port {port}'],
    ["services not a list", server('start: x --port {port}\nready: r\nservices: shop.Orders'), 'FILE: servers.orders.services: expected a list of non-empty strings, got the string "shop.Orders": write services: [shop.orders.v2.Orders]   # globs of package.Service'],
    ["a name taken by a built-in", "servers:\n  go:\n    start: x --port {port}\n    ready: r", "FILE: servers.go: go is already a built-in server: choose another name"],
    ["a protos folder that does not exist", "protos: nope", expect.stringMatching(/^FILE: protos: \/.*\/nope is not a folder: write protos: <the folder of your \.proto files, relative to this file>$/)],
    ["bad YAML", "servers:\n  a: [1,\n", expect.stringMatching(/^FILE: line \d+ column \d+: .*: write valid YAML \(a mapping of keys to values\)$/)],
    ["a duplicate key", "protos: proto\nprotos: proto", expect.stringMatching(/^FILE: line 2 column 1: Map keys must be unique.*: write valid YAML/)],
  ])("%s", (_what, yaml, message) => {
    const text = errorOf(yaml);
    expect(text.split("\n")).toHaveLength(1);
    expect(text).toEqual(message);
  });

  test("the CLI prints it as one error line and exits 2", async () => {
    const file = configFile(`servers:\n  orders:\n    start: x --port {port}\n    ready: r\n    fresh: sometimes\n`);
    const r = await execa(process.execPath, ["--import", "tsx", "interop/cli.ts", "--config", file, "--runtime", "process"], { cwd: ROOT, reject: false, timeout: 60_000 });
    expect(r.exitCode).toBe(2);
    expect(String(r.stderr).trim()).toBe(`error: ${file}: servers.orders.fresh: the string "sometimes" is not one of run, client: write fresh: run   # one instance per run; or fresh: client, one per client driver`);
  }, 60_000);
});

test("commands split like a shell would, without running one", () => {
  expect(splitCommand(`node "a b/c.js" --x='1 2' \\"q`)).toEqual(["node", "a b/c.js", "--x=1 2", '"q']);
  expect(splitCommand(`node "open`)).toEqual({ error: 'unclosed " quote' });
});
