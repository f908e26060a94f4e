// The driver kit against the TS server, in process: calls go through whatever grpc-js code it
// is given (ts-proto's, or proto-loader's), replies come back as canonical JSON, and a case it
// cannot perform is an observation naming the case and the problem, never a crash.
import { loadPackageDefinition } from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { CaseSpec } from "../../interop/contract.js";
import { startTsServer, type RunningTsServer } from "../../ts-server/server.js";
import { GreeterService } from "../../gen/ts/greeter.js";
import { InteropTestService } from "../../gen/ts/interop_test.js";
import { stringifyJson } from "./contract.js";
import { caseRunner } from "./index.js";

let server: RunningTsServer;
beforeAll(async () => {
  server = await startTsServer({ tickMs: 10, log: () => {} });
});
afterAll(async () => {
  await server.stop();
});

const hello = (over: Partial<CaseSpec> = {}): CaseSpec => ({ name: "hello", method: "greeter.Greeter/SayHello", requests: [{ name: "kit" }], timeoutMs: 5000, ...over });

describe("driver kit", () => {
  test("ts-proto service definitions: the call goes through, the reply is canonical JSON", async () => {
    const run = caseRunner({ services: [GreeterService, InteropTestService] });
    const obs = await run(server.address, hello());
    expect(obs.status.code).toBe(0);
    expect(obs.responses.map((r) => r.message)).toEqual([{ message: "Hello kit" }]);
    // int64 as a string, bytes as base64, defaults emitted.
    const echo = await run(server.address, { name: "echo", method: "interop.InteropTest/Echo", requests: [{ payload: "AAE=", index: "9007199254740993" }], timeoutMs: 5000 });
    expect(echo.responses.map((r) => r.message)).toEqual([{ payload: "AAE=", index: "9007199254740993" }]);
  });

  test("proto-loader's package definition works alike (any grpc-js generated code)", async () => {
    const pkg = loadPackageDefinition(loadSync(resolve(import.meta.dirname, "../../proto/greeter.proto")));
    const obs = await caseRunner({ services: [pkg] })(server.address, hello());
    expect(obs.responses.map((r) => r.message)).toEqual([{ message: "Hello kit" }]);
  });

  test("a case it cannot perform is an observation with an error naming the case and the problem", async () => {
    const run = caseRunner({ services: [GreeterService] });
    const unknownField = await run(server.address, hello({ requests: [{ nmae: "x" }] }));
    expect(unknownField.error).toMatch(/^case hello: requests\[0\] is not a valid greeter.HelloRequest: .*"nmae" is unknown/);
    expect(unknownField.status.code).toBe(2);
    expect(unknownField.responses).toEqual([]);
    expect((await run(server.address, hello({ requests: [{ name: 7 }] }))).error).toMatch(/case hello: requests\[0\] is not a valid greeter.HelloRequest/);
    expect((await run(server.address, hello({ method: "greeter.Greeter/Nope" }))).error).toMatch(/^case hello: unknown method greeter.Greeter\/Nope: the descriptor set/);
    const notWrapped = await run(server.address, { name: "echo", method: "interop.InteropTest/Echo", requests: [{}] });
    expect(notWrapped.error).toBe("case echo: the client under test has no method interop.InteropTest/Echo: pass its service definition to runDriver");
  });

  test("a case naming one of grpc's interop test cases goes to the testCases runner; without one it is an error observation", async () => {
    const named: CaseSpec = { name: "large", method: "grpc.testing.TestService/UnaryCall", requests: [], testCase: "large_unary", timeoutMs: 5000 };
    const without = await caseRunner({ services: [GreeterService] })(server.address, named);
    expect(without.error).toBe('case large: this driver runs no named test cases (testCase "large_unary")');
    expect(without.status.code).toBe(2);
    const seen: string[] = [];
    const withRunner = caseRunner({ services: [GreeterService], testCases: async (address, spec) => (seen.push(`${address} ${spec.testCase}`), { ...without, status: { code: 0, message: "" }, error: undefined }) });
    expect((await withRunner(server.address, named)).status.code).toBe(0);
    expect(seen).toEqual([`${server.address} large_unary`]);
    expect((await withRunner(server.address, hello())).responses.map((r) => r.message)).toEqual([{ message: "Hello kit" }]); // other cases as before
  });

  test("-0 survives printing (JSON.stringify would write 0)", () => {
    expect(stringifyJson({ a: -0, b: [-0, 0, 1.5], c: "x", d: undefined, e: null })).toBe('{"a":-0,"b":[-0,0,1.5],"c":"x","e":null}');
    expect(JSON.parse(stringifyJson({ a: -0 })).a).toBe(-0);
  });
});
