// "Old peers ignore what they do not know" needs new peers to send something new. Cases only set
// the base's fields, so for new clients -> old servers each request also gets a value in every
// field the working tree added, at EVERY depth the request reaches: top level, inside nested
// messages, in each element of repeated messages and each value of message maps. An added field
// is itself filled (a repeated one with one element, a map with one entry, a message with its own
// added fields); an added oneof member is set only where no other member of its oneof is. An enum
// field gets the enum's highest value, which old peers are least likely to know. The expected
// replies stay the same.
import type { CaseDef } from "../fixtures.js";
import type { Contract, Field } from "./descriptors.js";

/** One value the enrichment put on the wire: where, and what. */
export interface SentField {
  case: string;
  /** Full field name, e.g. "acme.notes.v1.Author.email". */
  field: string;
  /** Where in the requests, e.g. "requests[0].author.email". */
  path: string;
  value: unknown;
}

/** A key inside a path: .name, or ["map key"] when it is not a plain name. */
export const keyPath = (path: string, key: string) => (/^[A-Za-z_]\w*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

const scalarSample = (type: string, work: Contract): unknown => {
  const values = work.enums.get(type);
  if (values) return [...values].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (type === "string") return "compat";
  if (type === "bytes") return "Y29tcGF0";
  if (type === "bool") return true;
  if (/int64|fixed64/.test(type)) return "7";
  if (/int|fixed/.test(type)) return 7;
  if (type === "double" || type === "float") return 1.5;
  return undefined;
};

class Enricher {
  readonly sent: SentField[] = [];
  constructor(private readonly base: Contract, private readonly work: Contract, private readonly caseName: string) {}

  private added(type: string): Set<number> {
    const before = new Set((this.base.messages.get(type) ?? []).map((f) => f.number));
    // A message the base did not have at all is new as a whole: nothing inside it is "added".
    if (!this.base.messages.has(type)) return new Set();
    return new Set((this.work.messages.get(type) ?? []).filter((f) => !before.has(f.number)).map((f) => f.number));
  }

  /** A new value for an added field, or undefined when none is worth guessing (WKTs, unknown types). */
  private sample(f: Field, path: string): unknown {
    const element = f.type.replace(/^repeated /, "");
    if (f.map) {
      const value = this.work.messages.get(f.typeRef!)?.find((x) => x.number === 2);
      const v = value && (this.work.messages.has(value.type) ? this.message(value.type, {}, keyPath(path, "compat")) : scalarSample(value.type, this.work));
      const key = this.work.messages.get(f.typeRef!)?.find((x) => x.number === 1);
      return v === undefined || !key ? undefined : { [key.type === "string" ? "compat" : key.type === "bool" ? "true" : "7"]: v };
    }
    const one = this.work.messages.has(element) ? (element.startsWith("google.protobuf.") ? undefined : this.message(element, {}, f.type.startsWith("repeated ") ? `${path}[0]` : path)) : scalarSample(element, this.work);
    if (one === undefined) return undefined;
    return f.type.startsWith("repeated ") ? [one] : one;
  }

  /** The message value with added fields set here and in every message it carries. */
  message(type: string, value: Record<string, unknown>, path: string): Record<string, unknown> {
    const fields = this.work.messages.get(type) ?? [];
    const out = { ...value };
    const present = (f: Field) => out[f.jsonName] !== undefined || out[f.name] !== undefined;
    const keyOf = (f: Field) => (out[f.name] !== undefined ? f.name : f.jsonName);
    for (const f of fields.filter(present)) {
      const k = keyOf(f);
      const element = f.type.replace(/^repeated /, "");
      if (f.map) {
        const valueField = this.work.messages.get(f.typeRef!)?.find((x) => x.number === 2);
        if (valueField && this.work.messages.has(valueField.type) && out[k] && typeof out[k] === "object") {
          out[k] = Object.fromEntries(Object.entries(out[k] as object).map(([mk, mv]) => [mk, this.message(valueField.type, mv as Record<string, unknown>, keyPath(`${path}.${k}`, mk))]));
        }
      } else if (this.work.messages.has(element) && !element.startsWith("google.protobuf.")) {
        if (Array.isArray(out[k])) out[k] = (out[k] as Record<string, unknown>[]).map((v, i) => this.message(element, v, `${path}.${k}[${i}]`));
        else if (out[k] && typeof out[k] === "object") out[k] = this.message(element, out[k] as Record<string, unknown>, `${path}.${k}`);
      }
    }
    const added = this.added(type);
    for (const f of fields.filter((x) => added.has(x.number) && !present(x))) {
      if (f.oneof !== undefined && fields.some((o) => o.oneof === f.oneof && present(o))) continue;
      const v = this.sample(f, `${path}.${f.jsonName}`);
      if (v === undefined) continue;
      out[f.jsonName] = v;
      this.sent.push({ case: this.caseName, field: `${type}.${f.name}`, path: `${path}.${f.jsonName}`, value: v });
    }
    return out;
  }
}

/** The cases with new fields set in their requests, at every depth; `sent` lists each value put on the wire. */
export function enrichCasesDeep(cases: CaseDef[], base: Contract, work: Contract): { cases: CaseDef[]; sent: SentField[] } {
  const sent: SentField[] = [];
  const out = cases.map((c) => {
    const input = work.methods.get(c.method)?.input;
    if (!input) return c;
    const e = new Enricher(base, work, c.name);
    const requests = c.requests.map((r, i) => (r && typeof r === "object" ? e.message(input, r as Record<string, unknown>, `requests[${i}]`) : r));
    sent.push(...e.sent);
    return e.sent.length ? { ...c, requests } : c;
  });
  return { cases: out, sent };
}

/** The cases with new fields set in their requests; notes say what was added where. */
export function enrichCases(cases: CaseDef[], base: Contract, work: Contract, notes: string[]): CaseDef[] {
  const { cases: out, sent } = enrichCasesDeep(cases, base, work);
  for (const name of new Set(sent.map((s) => s.case))) {
    const mine = sent.filter((s) => s.case === name);
    notes.push(`new client -> old server: case ${name} sends ${mine.map((s) => `${s.field} = ${JSON.stringify(s.value)} (${s.path})`).join(", ")} (added fields, which old servers must ignore)`);
  }
  return out;
}
