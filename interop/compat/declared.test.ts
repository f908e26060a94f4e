// npm run compat on a team's own code: the notes example (fixtures/examples/notes), copied into a
// throwaway repository whose proto is then edited. An additive edit at several depths is
// COMPATIBLE and every added field was decoded by a stub; a renumbered field is BREAKING and named;
// a new package without cases keeps the run from COMPATIBLE until --allow-uncovered.
import { readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, expect, test } from "vitest";
import { ROOT } from "../paths.js";
import { editProto, makeExampleRepo, NOTES } from "./example-repo.js";

const repos: string[] = [];
afterAll(() => repos.forEach((r) => rmSync(r, { recursive: true, force: true })));

async function compat(edit: (repo: string) => void, extra: string[] = []) {
  const repo = await makeExampleRepo();
  repos.push(repo);
  edit(repo);
  const report = join(repo, "compat.json");
  const r = await execa(process.execPath, ["--import", "tsx", "scripts/compat.ts", "--repo", repo, "--config", join(repo, NOTES, "interop.config.yaml"), "--report", report, ...extra], { cwd: ROOT, reject: false, timeout: 600_000 });
  return { exitCode: r.exitCode, out: String(r.stdout), err: String(r.stderr), json: JSON.parse(readFileSync(report, "utf8")) };
}

test("an additive edit (nested, repeated, map and oneof fields) is COMPATIBLE, and every added field was sent and decoded", async () => {
  const r = await compat((repo) =>
    editProto(repo, (t) =>
      t
        .replace("repeated string tags = 2;", "repeated string tags = 2;\n  string email = 3;")
        .replace("int32 longitude = 2;", "int32 longitude = 2;\n  int32 altitude = 3;")
        .replace("bytes blob = 8;", "bytes blob = 8;\n    string url = 10;")
        .replace("map<string, string> labels = 6;", "map<string, string> labels = 6;\n  map<string, Point> places = 11;\n  repeated Author reviewers = 12;"),
    ),
  );
  expect(r.out).toMatch(/^verdict: COMPATIBLE /m);
  expect(r.exitCode).toBe(0);
  const fields = new Set(r.json.sent.map((s: { field: string }) => s.field));
  expect(fields).toEqual(new Set(["acme.notes.v1.Author.email", "acme.notes.v1.Point.altitude", "acme.notes.v1.Note.url", "acme.notes.v1.Note.places", "acme.notes.v1.Note.reviewers"]));
  // Sent at depth: inside a nested message, in a repeated element, in a map value; and decoded.
  const paths = r.json.sent.map((s: { path: string }) => s.path);
  expect(paths).toContain("requests[0].author.email");
  expect(paths).toContain("requests[0].reviewers[0].email");
  expect(paths).toContain("requests[0].places.compat.altitude");
  for (const s of r.json.sent) expect(s.seenBy.length, `${s.field} at ${s.path}`).toBeGreaterThan(0);
  // The oneof member is set only where no other member of the oneof is (note "two" has none).
  expect(r.json.sent.filter((s: { field: string }) => s.field === "acme.notes.v1.Note.url").map((s: { path: string }) => s.path)).toEqual(expect.arrayContaining(["requests[1].url"]));
  expect(r.json.sent.some((s: { field: string; path: string }) => s.field === "acme.notes.v1.Note.url" && s.path.startsWith("requests[0]"))).toBe(false);
  // Both directions ran, on the team's server and client and on the built-in drivers and stubs.
  const ids: string[] = r.json.dynamic.cells.map((c: { direction: string; id: string }) => `${c.direction}: ${c.id}`);
  expect(ids).toContain("old client -> new server: notes-client -> notes | notes-chat");
  expect(ids).toContain("new client -> old server: notes-client -> notes | notes-chat");
  expect(ids).toContain("new client -> old server: go -> python-stub | notes-get");
}, 600_000);

test("a renumbered field is BREAKING, and the output names the field", async () => {
  const r = await compat((repo) => editProto(repo, (t) => t.replace("string message = 2;", "string message = 12;")));
  expect(r.out).toMatch(/^verdict: BREAKING /m);
  expect(r.exitCode).toBe(1);
  expect(r.out).toContain("acme.notes.v1.Note.message: field number changed 2 -> 12");
  // A failed cell names the field as its cause.
  expect(r.out).toMatch(/✗ .*notes-get[\s\S]*?↳ acme\.notes\.v1\.Note\.message: field number changed 2 -> 12/);
}, 600_000);

test("a touched package that no case exercises is reported, and the run is not COMPATIBLE by silence", async () => {
  const addPackage = (repo: string) => {
    const dir = join(repo, NOTES, "proto/acme/notes/v2");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "labels.proto"), 'syntax = "proto3";\npackage acme.notes.v2;\nmessage Label { string name = 1; }\nservice Labels { rpc Get(Label) returns (Label); }\n');
  };
  const r = await compat(addPackage);
  expect(r.out).toContain("no case exercises acme.notes.v2: add cases or pass --allow-uncovered");
  expect(r.out).toMatch(/^verdict: UNCOVERED /m);
  expect(r.exitCode).toBe(1);
  const allowed = await compat(addPackage, ["--allow-uncovered"]);
  expect(allowed.out).toMatch(/^verdict: COMPATIBLE /m);
}, 900_000);
