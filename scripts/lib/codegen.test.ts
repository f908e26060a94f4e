// A codegen failure names the plugin that failed, with its own message, whichever plugin buf
// happened to report (it cancels the others when one fails).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { ROOT } from "../../interop/paths.js";
import { bufGenerate, pluginMessage, pluginTemplates } from "./codegen.js";

const dir = mkdtempSync(join(tmpdir(), "codegen-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("pluginTemplates", () => {
  test("one template per plugin of the project's buf.gen.yaml and buf.gen.go.yaml, each with only that plugin", () => {
    const templates = ["buf.gen.yaml", "buf.gen.go.yaml"].flatMap((f) => pluginTemplates(readFileSync(join(ROOT, f), "utf8")));
    expect(templates.map((t) => t.name)).toEqual(["protoc-gen-ts_proto", "protoc-gen-go", "protoc-gen-go-grpc"]);
    for (const t of templates) {
      expect(t.yaml).toMatch(/^version: v2$/m);
      expect(t.yaml.match(/^\s*- local:/gm)).toHaveLength(1);
      expect(t.yaml).toContain(t.name);
    }
    expect(templates[0].yaml).toContain("forceLong=string"); // the plugin's options come along
  });
});

test("pluginMessage drops buf's cancellation noise", () => {
  expect(pluginMessage("protoc-gen-go: bad thing\n\nFailure: plugin .build/tools/protoc-gen-go: exit status 1\ncontext canceled\n")).toBe("protoc-gen-go: bad thing");
});

test("a protoc-gen-go error is reported as protoc-gen-go's, with its message", async () => {
  const protoDir = join(dir, "proto");
  rmSync(protoDir, { recursive: true, force: true });
  mkdirSync(protoDir);
  writeFileSync(join(protoDir, "buf.yaml"), "version: v2\n");
  // No go_package: protoc-gen-go cannot place the file, the other plugins could.
  writeFileSync(join(protoDir, "x.proto"), 'syntax = "proto3";\npackage x;\nmessage A { string s = 1; }\nservice S { rpc M(A) returns (A); }\n');
  const err = await bufGenerate(["generate", protoDir, "-o", join(dir, "out")], "fix the .proto and run again", "buf.gen.go.yaml").catch((e: Error) => e);
  expect(err).toBeInstanceOf(Error);
  expect((err as Error).name).toBe("UsageError");
  expect((err as Error).message).toMatch(/^code generation failed in plugin protoc-gen-go: protoc-gen-go: unable to determine Go import path for "x\.proto".*: fix the \.proto and run again$/);
  expect((err as Error).message).not.toContain("\n");
  expect((err as Error).message).not.toMatch(/ts_proto|signal: killed/);
}, 60_000);
