// The Python driver and python-stub know a contract only from its descriptor set: a .proto in a
// nested package folder that no Python code imports is called in all four patterns, and every
// value (nested, repeated, map, enum, oneof, int64) arrives intact both ways. The set is two
// buf builds concatenated, so every google/protobuf file appears twice (the second is skipped).
// A case the driver cannot perform is an error line naming the case; the batch goes on.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runBatch, type BatchResult } from "../../batch.js";
import type { CaseSpec, Observation } from "../../contract.js";
import { loadSettings } from "../../fixtures.js";
import { ROOT, VENV_PYTHON } from "../../paths.js";
import type { ServerHandle } from "../../runtime/types.js";
import { buildDescriptorSet, pythonRuntime } from "./test-support.js";

const ROUTE_PROTO = `syntax = "proto3";
package acme.route.v1;
import "google/protobuf/timestamp.proto";
enum Kind { KIND_UNSPECIFIED = 0; KIND_ROAD = 1; KIND_RAIL = 2; }
message Point { int64 lat = 1; sint32 lng = 2; }
message Leg { Point from = 1; Point to = 2; repeated string notes = 3; }
message RouteRequest {
  string name = 1;
  repeated Leg legs = 2;
  map<string, int64> tolls = 3;
  Kind kind = 4;
  oneof by { string city = 5; Point near = 6; }
  bytes blob = 7;
  google.protobuf.Timestamp at = 8;
}
message RouteReply { RouteRequest echo = 1; uint64 total = 2; double cost = 3; }
service Routes {
  rpc Plan (RouteRequest) returns (RouteReply);
  rpc Watch (RouteRequest) returns (stream RouteReply);
  rpc Upload (stream RouteRequest) returns (RouteReply);
  rpc Talk (stream RouteRequest) returns (stream RouteReply);
}
`;

const REQUEST = {
  name: "n ☺ 😈",
  legs: [{ from: { lat: "9007199254740993", lng: -2147483648 }, to: { lat: "-9223372036854775808", lng: 2147483647 }, notes: ["", "x"] }],
  tolls: { a: "18446744073709551", b: "-1" },
  kind: "KIND_RAIL",
  near: { lat: "1", lng: -1 },
  blob: "AP8=",
  at: "2024-02-29T12:34:56.789Z",
};
const REPLY = { echo: { ...REQUEST, kind: "KIND_ROAD", city: "Paris", near: undefined }, total: "18446744073709551615", cost: "-Infinity" };

// Canonical JSON of REQUEST as every decoder prints it: implicit fields present, oneof by what is set.
const REQUEST_CANONICAL = { ...REQUEST, legs: [{ ...REQUEST.legs[0] }] };
const REPLY_CANONICAL = { echo: { name: REQUEST.name, legs: REQUEST.legs, tolls: REQUEST.tolls, kind: "KIND_ROAD", city: "Paris", blob: "AP8=", at: REQUEST.at }, total: REPLY.total, cost: "-Infinity" };

const STUBS = {
  plan: { method: "acme.route.v1.Routes/Plan", responses: [REPLY] },
  watch: { responses: [REPLY, REPLY] },
  upload: { responses: [REPLY] },
  talk: { responses: [REPLY, REPLY] },
};

const call = (name: string, method: string, requests: unknown[]): CaseSpec => ({
  name, method: `acme.route.v1.Routes/${method}`, requests, metadata: { "x-interop-stub": [name] }, callReport: { tag: `t-${name}`, waitMs: 2000 }, timeoutMs: 5000,
});

const CASES: CaseSpec[] = [
  call("plan", "Plan", [REQUEST]),
  { name: "unknown-field", method: "acme.route.v1.Routes/Plan", requests: [{ name: "x", nmae: "typo" }] },
  { name: "wrong-type", method: "acme.route.v1.Routes/Plan", requests: [{ legs: "not a list" }] },
  { name: "unknown-method", method: "acme.route.v1.Routes/Nope", requests: [{}] },
  call("watch", "Watch", [REQUEST]),
  call("upload", "Upload", [REQUEST, REQUEST]),
  call("talk", "Talk", [REQUEST, REQUEST]),
];

describe.each(["python-stub", "python-aio-stub"])("a contract only the descriptor set knows (nested package folder), on %s", (stubName) => {
  const dir = mkdtempSync(join(tmpdir(), "py-contract-"));
  const obs = new Map<string, Observation & { error?: string }>();
  let server: ServerHandle;
  let runtime: ReturnType<typeof pythonRuntime>;

  beforeAll(async () => {
    mkdirSync(join(dir, "route", "acme", "route", "v1"), { recursive: true });
    writeFileSync(join(dir, "route", "acme", "route", "v1", "route.proto"), ROUTE_PROTO);
    const ours = buildDescriptorSet(mkdtempSync(join(dir, "a-")));
    const route = join(dir, "route.binpb");
    const { execFileSync } = await import("node:child_process");
    execFileSync(resolve(ROOT, "node_modules/.bin/buf"), ["build", join(dir, "route"), "-o", route]);
    // Two sets concatenated, as prepare merges buf's with grpc-go's: google/protobuf files twice.
    const merged = join(dir, "merged.binpb");
    writeFileSync(merged, Buffer.concat([readFileSync(ours), readFileSync(route)]));
    const stubs = join(dir, "stubs.json");
    writeFileSync(stubs, JSON.stringify(STUBS));
    const script = stubName === "python-stub" ? "stub_server.py" : "aio_stub_server.py";
    runtime = pythonRuntime(merged, { [stubName]: { file: VENV_PYTHON, args: [resolve(ROOT, "interop/peers/python", script), "--stubs", stubs] } });
    server = await runtime.startServer(stubName, { tickMs: 50, startTimeoutMs: loadSettings().serverStartTimeoutMs });
    await runBatch({ runtime, client: "python", address: server.address, workDir: dir, serverGone: () => server.exitReason() },
      CASES.map((spec) => ({ id: spec.name, spec, limitMs: 10_000 })),
      (id: string, r: BatchResult) => {
        if ("error" in r) throw new Error(`${id}: ${r.error}`);
        obs.set(id, r.observation);
      });
  }, 60_000);
  afterAll(() => runtime?.close());

  const recorded = (name: string) => JSON.parse((obs.get(name)!.callReport as { receivedJson: string }).receivedJson).requests;

  test.each([["plan", 1, 1], ["watch", 1, 2], ["upload", 2, 1], ["talk", 2, 2]])("%s: replies and recorded requests are exact canonical JSON", (name, sent, replies) => {
    const o = obs.get(name)!;
    expect(o.status).toEqual({ code: 0, message: "" });
    expect(o.responses.map((r) => r.message)).toEqual(Array(replies).fill(REPLY_CANONICAL));
    expect(recorded(name)).toEqual(Array(sent).fill(REQUEST_CANONICAL));
  });

  test("an unknown field: an error line naming the case and the field, and no call", () => {
    const o = obs.get("unknown-field")!;
    expect(o.error).toMatch(/^case unknown-field: request 0 is not a valid acme\.route\.v1\.RouteRequest: .*"nmae"/s);
    expect(o.status.code).not.toBe(0);
    expect(o.sent).toEqual([]);
  });

  test("a value of the wrong type, and an unknown method: error lines naming the case", () => {
    expect(obs.get("wrong-type")!.error).toMatch(/^case wrong-type: request 0 is not a valid acme\.route\.v1\.RouteRequest: .*legs/s);
    expect(obs.get("unknown-method")!.error).toMatch(/^case unknown-method: unknown method 'acme\.route\.v1\.Routes\/Nope'/);
  });
});
