// Compiles each end's protos with buf into descriptors, and diffs the two contracts by message,
// field, enum value, service and method. buf's breaking check says THAT something broke; this
// diff says WHAT changed in words the other checks can point to ("greeter.HelloReply.message:
// field number changed 1 -> 2"), so a failing cell or vector names its message and field.
import { execa } from "execa";
import { UsageError } from "../errors.js";
import { ROOT } from "../paths.js";

interface FieldJson { name: string; number: number; label?: string; type?: string; typeName?: string; jsonName?: string; oneofIndex?: number; proto3Optional?: boolean }
interface MessageJson { name: string; field?: FieldJson[]; nestedType?: MessageJson[]; enumType?: EnumJson[] }
interface EnumJson { name: string; value?: { name: string; number: number }[] }
interface MethodJson { name: string; inputType: string; outputType: string; clientStreaming?: boolean; serverStreaming?: boolean }
interface FileJson { package?: string; messageType?: MessageJson[]; enumType?: EnumJson[]; service?: { name: string; method?: MethodJson[] }[] }

export interface Field {
  name: string; jsonName: string; number: number; type: string; typeRef?: string;
  /** Index of its (real, not proto3 optional) oneof in the message. */
  oneof?: number;
  /** A map field: typeRef is its entry message (key, value). */
  map?: boolean;
}
export interface Method { input: string; output: string; streaming: string }

/** One end's contract, by full name: messages' fields, enums' values, services' methods. */
export interface Contract {
  messages: Map<string, Field[]>;
  enums: Map<string, Map<string, number>>;
  /** "package.Service/Method" */
  methods: Map<string, Method>;
}

export interface Change {
  /** added and renamed are wire-compatible; changed and removed may not be. */
  kind: "changed" | "removed" | "added" | "renamed";
  /** What changed, e.g. "greeter.HelloReply.message: field number changed 1 -> 2". */
  text: string;
  /** Full names of the messages, enums or methods ("pkg.Svc/M") it concerns. */
  where: string[];
}

const strip = (name?: string) => (name ?? "").replace(/^\./, "");

/** buf build of <dir>/<protoSubdir>; one line naming file:line:col when it does not compile. */
export async function compileContract(dir: string, label: string, hint: string, protoSubdir = "proto"): Promise<Contract> {
  const r = await execa(`${ROOT}/node_modules/.bin/buf`, ["build", protoSubdir, "--exclude-source-info", "-o", "-#format=json"], { cwd: dir, reject: false, timeout: 120_000 });
  if (r.failed) {
    const why = String(r.stderr).trim().split("\n").find(Boolean) ?? `exit ${r.exitCode}`;
    throw new UsageError(`the ${label} protos do not compile: ${why}: ${hint}`);
  }
  return toContract(JSON.parse(String(r.stdout)).file ?? []);
}

export function toContract(files: FileJson[]): Contract {
  const c: Contract = { messages: new Map(), enums: new Map(), methods: new Map() };
  const addEnum = (prefix: string, e: EnumJson) => c.enums.set(prefix + e.name, new Map((e.value ?? []).map((v) => [v.name, v.number])));
  const addMessage = (prefix: string, m: MessageJson) => {
    const full = prefix + m.name;
    c.messages.set(
      full,
      (m.field ?? []).map((f) => {
        const base = f.typeName ? strip(f.typeName) : (f.type ?? "").replace(/^TYPE_/, "").toLowerCase();
        const entry = f.typeName ? m.nestedType?.find((n) => `${full}.${n.name}` === strip(f.typeName) && (n as { options?: { mapEntry?: boolean } }).options?.mapEntry) : undefined;
        return {
          name: f.name, jsonName: f.jsonName ?? f.name, number: f.number, type: f.label === "LABEL_REPEATED" ? `repeated ${base}` : base, typeRef: f.typeName ? strip(f.typeName) : undefined,
          oneof: f.oneofIndex !== undefined && !f.proto3Optional ? f.oneofIndex : undefined,
          map: entry ? true : undefined,
        };
      }),
    );
    m.nestedType?.forEach((n) => addMessage(`${full}.`, n));
    m.enumType?.forEach((e) => addEnum(`${full}.`, e));
  };
  for (const file of files) {
    const prefix = file.package ? `${file.package}.` : "";
    file.messageType?.forEach((m) => addMessage(prefix, m));
    file.enumType?.forEach((e) => addEnum(prefix, e));
    for (const svc of file.service ?? []) {
      for (const m of svc.method ?? []) {
        const streaming = `${m.clientStreaming ? "stream " : ""}request, ${m.serverStreaming ? "stream " : ""}response`;
        c.methods.set(`${prefix}${svc.name}/${m.name}`, { input: strip(m.inputType), output: strip(m.outputType), streaming });
      }
    }
  }
  return c;
}

function diffFields(msg: string, before: Field[], after: Field[], out: Change[]) {
  const where = [msg];
  const byName = (fs: Field[], n: string) => fs.find((f) => f.name === n);
  const byNumber = (fs: Field[], n: number) => fs.find((f) => f.number === n);
  for (const b of before) {
    const a = byName(after, b.name);
    if (a) {
      if (a.number !== b.number) out.push({ kind: "changed", where, text: `${msg}.${b.name}: field number changed ${b.number} -> ${a.number}` });
      if (a.type !== b.type) out.push({ kind: "changed", where, text: `${msg}.${b.name}: type changed ${b.type} -> ${a.type} (field ${a.number})` });
    } else if (!byNumber(after, b.number)) {
      out.push({ kind: "removed", where, text: `${msg}.${b.name}: field ${b.number} (${b.type}) removed` });
    }
  }
  for (const a of after.filter((f) => !byName(before, f.name))) {
    const b = byNumber(before, a.number);
    if (!b) out.push({ kind: "added", where, text: `${msg}.${a.name}: field ${a.number} (${a.type}) added` });
    else if (b.type === a.type && !byName(after, b.name)) out.push({ kind: "renamed", where, text: `${msg}.${b.name}: renamed to ${a.name} (same number ${a.number} and type: wire-compatible)` });
    else out.push({ kind: "changed", where, text: `${msg}: field number ${a.number} reused: was ${b.name} (${b.type}), now ${a.name} (${a.type})` });
  }
}

function diffEnum(name: string, before: Map<string, number>, after: Map<string, number>, out: Change[]) {
  const where = [name];
  for (const [v, n] of before) {
    const m = after.get(v);
    if (m === undefined) out.push({ kind: "removed", where, text: `${name}.${v}: enum value ${n} removed` });
    else if (m !== n) out.push({ kind: "changed", where, text: `${name}.${v}: enum number changed ${n} -> ${m}` });
  }
  for (const [v, n] of after) if (!before.has(v)) out.push({ kind: "added", where, text: `${name}.${v}: enum value ${n} added` });
}

function diffMethod(name: string, b: Method, a: Method, out: Change[]) {
  const where = [name];
  if (a.input !== b.input) out.push({ kind: "changed", where, text: `${name}: request type changed ${b.input} -> ${a.input}` });
  if (a.output !== b.output) out.push({ kind: "changed", where, text: `${name}: response type changed ${b.output} -> ${a.output}` });
  if (a.streaming !== b.streaming) out.push({ kind: "changed", where, text: `${name}: streaming changed (${b.streaming}) -> (${a.streaming})` });
}

/** What changed from base to working tree, most telling first (changed, removed, renamed, added). */
export function diffContracts(base: Contract, work: Contract): Change[] {
  const out: Change[] = [];
  for (const [name, fields] of base.messages) {
    const after = work.messages.get(name);
    if (after) diffFields(name, fields, after, out);
    else out.push({ kind: "removed", where: [name], text: `${name}: message removed (or renamed)` });
  }
  for (const name of work.messages.keys()) if (!base.messages.has(name)) out.push({ kind: "added", where: [name], text: `${name}: message added` });
  for (const [name, values] of base.enums) {
    const after = work.enums.get(name);
    if (after) diffEnum(name, values, after, out);
    else out.push({ kind: "removed", where: [name], text: `${name}: enum removed (or renamed)` });
  }
  for (const name of work.enums.keys()) if (!base.enums.has(name)) out.push({ kind: "added", where: [name], text: `${name}: enum added` });
  for (const [name, m] of base.methods) {
    const after = work.methods.get(name);
    if (after) diffMethod(name, m, after, out);
    else out.push({ kind: "removed", where: [name], text: `${name}: method removed or renamed (old clients get UNIMPLEMENTED)` });
  }
  for (const name of work.methods.keys()) if (!base.methods.has(name)) out.push({ kind: "added", where: [name], text: `${name}: method added` });
  const rank = { changed: 0, removed: 1, renamed: 2, added: 3 };
  return out.sort((x, y) => rank[x.kind] - rank[y.kind]);
}

/** Every message and enum a message reaches through its fields (itself included). */
function reachable(c: Contract, from: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    c.messages.get(name)?.forEach((f) => f.typeRef && visit(f.typeRef));
  };
  from.forEach(visit);
  return seen;
}

/**
 * The changes that can explain a failure of one method or one message (a vector's type): those
 * on the method itself or on any type its requests and replies carry, at either end.
 */
export function causesFor(subject: string, base: Contract, work: Contract, changes: Change[]): Change[] {
  const types = (c: Contract) => {
    const m = c.methods.get(subject);
    return reachable(c, m ? [m.input, m.output] : [subject]);
  };
  const related = new Set([subject, ...types(base), ...types(work)]);
  const touching = changes.filter((ch) => ch.where.some((w) => related.has(w)));
  const breaking = touching.filter((ch) => ch.kind === "changed" || ch.kind === "removed");
  // Nothing breaking on the wire here: what was added is the next suspect (e.g. a peer whose
  // unchanged source cannot fill a new field of a reply).
  return breaking.length ? breaking : touching.filter((ch) => ch.kind === "added");
}
