// build: commands: run before a run with {protos} and {out} filled, skipped while their inputs are
// unchanged, and a failing build is one line naming the key.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { runBuilds } from "./prepare-config.js";
import { loadRegistry } from "./registry.js";

function config(mode = "") {
  const dir = mkdtempSync(join(tmpdir(), "build-config-"));
  mkdirSync(join(dir, "proto"));
  mkdirSync(join(dir, "cases"));
  writeFileSync(join(dir, "proto", "a.proto"), 'syntax = "proto3";\npackage a;\nmessage M { string s = 1; }\n');
  const file = join(dir, "interop.config.yaml");
  writeFileSync(file, `cases: [cases]
clients:
  team:
    command: node driver.js --gen {out}
    build: node {root}/interop/config/testdata/build-out.mjs {protos} {out} ${mode}
`);
  return { dir, file };
}

test("a build: command gets {protos} and {out}, runs once, and again only when the protos change", async () => {
  const { dir, file } = config();
  const out = join(dir, "gen-out");
  const registry = loadRegistry(file, (c) => ({ protos: c.protosDir, outFor: () => out }));
  expect(registry.clients.get("team")!.process!.args).toEqual(["driver.js", "--gen", out]);
  await runBuilds(registry, join(dir, "proto"));
  const first = JSON.parse(readFileSync(join(out, "built.json"), "utf8"));
  expect(first.protos).toBe(join(dir, "proto"));
  await runBuilds(registry, join(dir, "proto"));
  expect(JSON.parse(readFileSync(join(out, "built.json"), "utf8")).at).toBe(first.at);
  writeFileSync(join(dir, "proto", "a.proto"), 'syntax = "proto3";\npackage a;\nmessage M { string s = 1; int32 n = 2; }\n');
  await runBuilds(registry, join(dir, "proto"));
  expect(JSON.parse(readFileSync(join(out, "built.json"), "utf8")).at).toBeGreaterThan(first.at);
}, 60_000);

test("a failing build is one line naming the config, the key and the build's last line", async () => {
  const { dir, file } = config("fail");
  const registry = loadRegistry(file, (c) => ({ protos: c.protosDir, outFor: () => join(dir, "o") }));
  await expect(runBuilds(registry, join(dir, "proto"))).rejects.toThrow(/^.*interop\.config\.yaml: clients\.team\.build failed \(exit 1\): protoc: acme\/x\.proto:3:1: syntax error: fix the build command or the code it builds$/);
}, 60_000);
