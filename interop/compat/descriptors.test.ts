// The descriptor diff names what changed in terms the compat report can point failures to.
import { describe, expect, test } from "vitest";
import { causesFor, diffContracts, toContract } from "./descriptors.js";

const field = (name: string, number: number, type = "TYPE_STRING", typeName?: string) => ({ name, number, type, typeName, label: "LABEL_OPTIONAL", jsonName: name });

function contract(opts: { reply?: ReturnType<typeof field>[]; values?: [string, number][]; method?: string }) {
  return toContract([
    {
      package: "p",
      messageType: [
        { name: "Req", field: [field("name", 1), field("mood", 2, "TYPE_ENUM", ".p.Mood")] },
        { name: "Reply", field: opts.reply ?? [field("message", 1)] },
      ],
      enumType: [{ name: "Mood", value: (opts.values ?? [["MOOD_UNSPECIFIED", 0]]).map(([name, number]) => ({ name, number })) }],
      service: [{ name: "Svc", method: [{ name: opts.method ?? "Call", inputType: ".p.Req", outputType: ".p.Reply" }] }],
    },
  ]);
}

const texts = (base: ReturnType<typeof contract>, work: ReturnType<typeof contract>) => diffContracts(base, work).map((c) => `${c.kind}: ${c.text}`);

describe("diffContracts", () => {
  const base = contract({});

  test("a changed field number names message, field and both numbers", () => {
    expect(texts(base, contract({ reply: [field("message", 3)] }))).toEqual(["changed: p.Reply.message: field number changed 1 -> 3"]);
  });

  test("a changed type", () => {
    expect(texts(base, contract({ reply: [field("message", 1, "TYPE_INT32")] }))).toEqual(["changed: p.Reply.message: type changed string -> int32 (field 1)"]);
  });

  test("a removed field whose number is reused by another type", () => {
    expect(texts(base, contract({ reply: [field("count", 1, "TYPE_INT32")] }))).toEqual(["changed: p.Reply: field number 1 reused: was message (string), now count (int32)"]);
  });

  test("a rename with the same number and type is wire-compatible", () => {
    expect(texts(base, contract({ reply: [field("text", 1)] }))).toEqual(["renamed: p.Reply.message: renamed to text (same number 1 and type: wire-compatible)"]);
  });

  test("a removed field, an added field", () => {
    expect(texts(base, contract({ reply: [] }))).toEqual(["removed: p.Reply.message: field 1 (string) removed"]);
    expect(texts(base, contract({ reply: [field("message", 1), field("extra", 2)] }))).toEqual(["added: p.Reply.extra: field 2 (string) added"]);
  });

  test("a new enum value, a renamed method", () => {
    expect(texts(base, contract({ values: [["MOOD_UNSPECIFIED", 0], ["MOOD_HAPPY", 1]] }))).toEqual(["added: p.Mood.MOOD_HAPPY: enum value 1 added"]);
    expect(texts(base, contract({ method: "Call2" }))).toEqual(["removed: p.Svc/Call: method removed or renamed (old clients get UNIMPLEMENTED)", "added: p.Svc/Call2: method added"]);
  });
});

describe("causesFor", () => {
  test("a method's failure is explained by changes to the types it carries, not by others", () => {
    const base = contract({});
    const work = contract({ reply: [field("message", 2)], values: [["MOOD_UNSPECIFIED", 3]] });
    const changes = diffContracts(base, work);
    expect(causesFor("p.Svc/Call", base, work, changes).map((c) => c.text)).toEqual([
      "p.Reply.message: field number changed 1 -> 2",
      "p.Mood.MOOD_UNSPECIFIED: enum number changed 0 -> 3",
    ]);
    expect(causesFor("p.Reply", base, work, changes).map((c) => c.text)).toEqual(["p.Reply.message: field number changed 1 -> 2"]);
  });
});
