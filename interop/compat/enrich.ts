// "Old peers ignore what they do not know" needs new peers to send something new. The core
// cases only set the base's fields, so for new clients -> old servers each request also gets a
// value in every field the working tree added to its type (an enum field gets the enum's highest
// value, which old peers are least likely to know). The expected replies stay the same.
import type { CaseDef } from "../fixtures.js";
import type { Contract, Field } from "./descriptors.js";

/** A non-default proto3 JSON value for a field, or undefined for types not worth guessing. */
function sample(f: Field, work: Contract): unknown {
  if (f.type.startsWith("repeated ") || f.type.startsWith("map")) return undefined;
  const values = work.enums.get(f.type);
  if (values) return [...values].sort((a, b) => b[1] - a[1])[0]?.[0];
  // Well-known types have JSON forms of their own (a Timestamp is a string): not guessed.
  if (work.messages.has(f.type)) return f.type.startsWith("google.protobuf.") ? undefined : {};
  if (f.type === "string") return "compat";
  if (f.type === "bytes") return "Y29tcGF0";
  if (f.type === "bool") return true;
  if (/int64|fixed64/.test(f.type)) return "7";
  if (/int|fixed/.test(f.type)) return 7;
  if (f.type === "double" || f.type === "float") return 1.5;
  return undefined;
}

/** The fields of a message that the working tree added (by number), each with a sample value. */
function addedFields(message: string, base: Contract, work: Contract): [Field, unknown][] {
  // A message the base does not have at all belongs to a method old servers do not have either.
  if (!base.messages.has(message)) return [];
  const before = new Set((base.messages.get(message) ?? []).map((f) => f.number));
  return (work.messages.get(message) ?? []).filter((f) => !before.has(f.number)).map((f) => [f, sample(f, work)] as [Field, unknown]).filter(([, v]) => v !== undefined);
}

/** The cases with new fields set in their requests; notes say what was added where. */
export function enrichCases(cases: CaseDef[], base: Contract, work: Contract, notes: string[]): CaseDef[] {
  return cases.map((c) => {
    const input = work.methods.get(c.method)?.input;
    const added = input ? addedFields(input, base, work) : [];
    if (added.length === 0) return c;
    notes.push(`new client -> old server: case ${c.name} sends ${added.map(([f, v]) => `${input}.${f.name} = ${JSON.stringify(v)}`).join(", ")} (added fields, which old servers must ignore)`);
    const extra = Object.fromEntries(added.map(([f, v]) => [f.jsonName, v]));
    return { ...c, requests: c.requests.map((r) => ({ ...(r as object), ...extra })) };
  });
}
