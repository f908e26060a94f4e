// Cases are checked against the contract's descriptor set when they load: each problem is one
// line naming the file, the case and what to write.
import { describe, expect, test } from "vitest";
import { checkCases, loadCases, type CaseDef } from "./fixtures.js";
import { loadContract } from "../ts-client/driver-kit/contract.js";

const contract = loadContract();
const kase = (over: Partial<CaseDef>): CaseDef => ({ name: "c", method: "greeter.Greeter/SayHello", requests: [{ name: "x" }], category: "core", file: "f.json", expect: { status: "OK" }, ...over });

describe("checkCases", () => {
  test("the fixtures pass", () => {
    expect(() => checkCases(loadCases(), contract)).not.toThrow();
  });

  test("an unknown method names the service's methods, or says no .proto defines the service", () => {
    expect(() => checkCases([kase({ method: "greeter.Greeter/SayHi" })], contract)).toThrow('f.json: case "c": unknown method greeter.Greeter/SayHi: greeter.Greeter has SayHello, GetStockPrice, RecordMetrics, Chat');
    expect(() => checkCases([kase({ method: "acme.Nope/Call" })], contract)).toThrow("no .proto under proto/ defines the service acme.Nope");
  });

  test("an unknown field or a wrong type in a request, or in a stub's responses, is named with the fields to write", () => {
    expect(() => checkCases([kase({ requests: [{ nmae: "x" }] })], contract)).toThrow('f.json: case "c": requests[0] is not a valid greeter.HelloRequest (key "nmae" is unknown): write proto3 JSON with the fields name');
    expect(() => checkCases([kase({ requests: [{ name: "x" }, { name: 5 }] })], contract)).toThrow(/requests\[1\] is not a valid greeter.HelloRequest/);
    expect(() => checkCases([kase({ stub: { responses: [{ mesage: "hi" }] } })], contract)).toThrow(/stub.responses\[0\] is not a valid greeter.HelloReply .*fields message/);
    expect(() => checkCases([kase({ method: "acme.catalog.v1.CatalogService/GetProduct", requests: [{ id: "not a number" }] })], contract)).toThrow(/requests\[0\] is not a valid acme.catalog.v1.GetProductRequest/);
  });
});
