// The schema of interop.config.yaml, as data: every key a section may have, what its value must
// be, and the line to write instead. validate() walks a parsed document against it and throws
// the first problem as ONE line naming the file, the key path and what to write.
import { UsageError } from "../errors.js";
import { placeholdersIn, splitCommand, type Placeholder } from "./command-line.js";

export class ConfigError extends UsageError {}

type Kind = "string" | "command" | "regex" | "list" | "env" | "enum" | "enum-list" | "number" | "boolean" | "path-list" | "section";
interface Field {
  kind: Kind;
  /** What to write: shown after a problem with this key. */
  example: string;
  required?: boolean;
  values?: readonly string[];
  placeholders?: readonly Placeholder[];
}

const RUN_PLACEHOLDERS = ["host", "port", "protos", "root", "out"] as const;
const BUILD_PLACEHOLDERS = ["protos", "out", "root"] as const;
const CLIENT_PLACEHOLDERS = ["host", "protos", "root", "out"] as const;

export const TOP_FIELDS: Record<string, Field> = {
  protos: { kind: "string", example: "protos: proto   # a buf module root (relative to this file)" },
  cases: { kind: "path-list", example: "cases: [fixtures/cases]   # case files or folders" },
  servers: { kind: "section", example: "servers: { <name>: { start: ..., ready: ... } }" },
  clients: { kind: "section", example: "clients: { <name>: { command: ... } }" },
};

export const SERVER_FIELDS: Record<string, Field> = {
  start: { kind: "command", placeholders: RUN_PLACEHOLDERS, example: "start: node server.js --port {port}" },
  image: { kind: "string", example: "image: my-team/orders:1.4   # a local image (run offline)" },
  args: { kind: "list", placeholders: RUN_PLACEHOLDERS, example: 'args: ["--port", "{port}"]' },
  env: { kind: "env", placeholders: RUN_PLACEHOLDERS, example: "env: { LOG_LEVEL: debug }" },
  ready: { kind: "regex", required: true, example: 'ready: "listening on (\\\\S+)"   # group 1, if any, is the address' },
  readyTls: { kind: "regex", example: 'readyTls: "^LISTENING-TLS (\\\\S+)$"' },
  readyMtls: { kind: "regex", example: 'readyMtls: "^LISTENING-MTLS (\\\\S+)$"' },
  harnessFlags: { kind: "boolean", example: "harnessFlags: true   # takes --tick-ms, --watch-stdin, --port and --tls-* like the reference servers" },
  fresh: { kind: "enum", values: ["run", "client"], example: "fresh: run   # one instance per run; or fresh: client, one per client driver" },
  services: { kind: "list", example: "services: [shop.orders.v2.Orders]   # globs of package.Service" },
  build: { kind: "command", placeholders: BUILD_PLACEHOLDERS, example: "build: npx buf generate {protos} --template buf.gen.yaml -o {out}" },
  startTimeoutMs: { kind: "number", example: "startTimeoutMs: 20000" },
};

export const CLIENT_FIELDS: Record<string, Field> = {
  command: { kind: "command", required: true, placeholders: CLIENT_PLACEHOLDERS, example: "command: node driver.js   # speaks the driver contract (--addr, --cases-file)" },
  env: { kind: "env", placeholders: CLIENT_PLACEHOLDERS, example: "env: { LOG_LEVEL: debug }" },
  build: { kind: "command", placeholders: BUILD_PLACEHOLDERS, example: "build: npx buf generate {protos} -o {out}" },
  runs: { kind: "enum-list", values: ["methods", "test-cases"], example: "runs: [methods]   # and/or test-cases: grpc's named interop test cases" },
};

export const NAME = /^[a-z0-9][a-z0-9._-]*$/;

const typeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "object" ? "a mapping" : `the ${typeof v} ${JSON.stringify(v)}`);
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Reports problems for one file. */
export class Problems {
  constructor(private readonly file: string) {}
  fail(path: string, what: string, write: string): never {
    throw new ConfigError(`${this.file}: ${path}: ${what}: write ${write}`);
  }
}

/** Checks one value against its field; returns nothing, throws the first problem. */
function checkField(p: Problems, path: string, field: Field, value: unknown): void {
  const bad = (what: string): never => p.fail(path, what, field.example);
  const checkPlaceholders = (text: string) => {
    const { used, unknown } = placeholdersIn(text);
    if (unknown.length) bad(`unknown placeholder ${unknown[0]} (known: ${(field.placeholders ?? []).map((x) => `{${x}}`).join(" ") || "none here"})`);
    const misplaced = used.find((u) => !(field.placeholders ?? []).includes(u));
    if (misplaced) bad(`{${misplaced}} cannot be used here (known: ${(field.placeholders ?? []).map((x) => `{${x}}`).join(" ") || "none"})`);
  };
  switch (field.kind) {
    case "string":
    case "command":
      if (typeof value !== "string" || !value.trim()) bad(`expected a non-empty string, got ${typeOf(value)}`);
      if (field.kind === "command") {
        const words = splitCommand(value as string);
        if ("error" in words) bad(words.error);
        checkPlaceholders(value as string);
      }
      return;
    case "regex": {
      if (typeof value !== "string" || !value) bad(`expected a regular expression in a string, got ${typeOf(value)}`);
      try {
        new RegExp(value as string);
      } catch (e) {
        bad(`not a valid regular expression (${(e as Error).message})`);
      }
      return;
    }
    case "list":
    case "path-list": {
      const list = field.kind === "path-list" && typeof value === "string" ? [value] : value;
      if (!Array.isArray(list) || list.some((x) => typeof x !== "string" || !x)) bad(`expected a list of non-empty strings, got ${typeOf(value)}`);
      if (field.placeholders) (list as string[]).forEach(checkPlaceholders);
      return;
    }
    case "env":
      if (!isMap(value)) bad(`expected a mapping of names to strings, got ${typeOf(value)}`);
      for (const [k, v] of Object.entries(value as object)) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) p.fail(`${path}.${k}`, "not an environment variable name", field.example);
        if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") p.fail(`${path}.${k}`, `expected a string, got ${typeOf(v)}`, field.example);
        checkPlaceholders(String(v));
      }
      return;
    case "enum":
      if (!field.values!.includes(value as string)) bad(`${typeOf(value)} is not one of ${field.values!.join(", ")}`);
      return;
    case "number":
      if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) bad(`expected a whole number above 0, got ${typeOf(value)}`);
      return;
    case "boolean":
      if (typeof value !== "boolean") bad(`expected true or false, got ${typeOf(value)}`);
      return;
    case "section":
      return;
    case "enum-list":
      if (!Array.isArray(value) || value.length === 0) bad(`expected a list, got ${typeOf(value)}`);
      for (const v of value as unknown[]) if (!field.values!.includes(v as string)) bad(`${typeOf(v)} is not one of ${field.values!.join(", ")}`);
      return;
  }
}

/** Edit distance, for "did you mean": a misspelt key is usually one or two letters off. */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

function checkKeys(p: Problems, path: string, doc: Record<string, unknown>, fields: Record<string, Field>): void {
  for (const [key, value] of Object.entries(doc)) {
    const where = path ? `${path}.${key}` : key;
    const field = fields[key];
    if (!field) {
      const close = Object.keys(fields).find((k) => distance(k.toLowerCase(), key.toLowerCase()) <= 2);
      p.fail(where, `unknown key${close ? ` (did you mean ${close}?)` : ""}`, `one of ${Object.keys(fields).join(", ")}`);
    }
    if (field.kind !== "section") checkField(p, where, field, value); // sections: checked entry by entry in validate()
  }
  for (const [key, field] of Object.entries(fields)) {
    if (field.required && doc[key] === undefined) p.fail(path ? `${path}.${key}` : key, "missing", field.example);
  }
}

/** The document as the schema allows it; everything else is a ConfigError. */
export interface RawServer {
  start?: string; image?: string; args?: string[]; env?: Record<string, string>;
  ready: string; readyTls?: string; readyMtls?: string; harnessFlags?: boolean;
  fresh?: "run" | "client"; services?: string[]; build?: string; startTimeoutMs?: number;
}
export interface RawClient { command: string; env?: Record<string, string>; build?: string; runs?: ("methods" | "test-cases")[] }
export interface RawConfig { protos?: string; cases?: string | string[]; servers?: Record<string, RawServer>; clients?: Record<string, RawClient> }

export function validate(file: string, doc: unknown): RawConfig {
  const p: Problems = new Problems(file);
  if (doc === null || doc === undefined) return {};
  if (!isMap(doc)) p.fail("(top level)", `expected a mapping, got ${typeOf(doc)}`, "protos:, cases:, servers: and clients: keys");
  checkKeys(p, "", doc, TOP_FIELDS);
  for (const section of ["servers", "clients"] as const) {
    const entries = doc[section];
    if (entries === undefined || entries === null) continue;
    if (!isMap(entries)) p.fail(section, `expected a mapping of names to entries, got ${typeOf(entries)}`, TOP_FIELDS[section].example);
    for (const [name, entry] of Object.entries(entries)) {
      const path = `${section}.${name}`;
      if (!NAME.test(name)) p.fail(path, "a peer name is lower-case letters, digits, '.', '_' and '-'", `e.g. ${section}.orders-svc`);
      if (!isMap(entry)) p.fail(path, `expected a mapping, got ${typeOf(entry)}`, section === "servers" ? SERVER_FIELDS.start.example : CLIENT_FIELDS.command.example);
      checkKeys(p, path, entry, section === "servers" ? SERVER_FIELDS : CLIENT_FIELDS);
      if (section === "servers") checkServer(p, path, entry as unknown as RawServer);
      else if (entry.build === undefined && String(entry.command).includes("{out}")) p.fail(`${path}.command`, "{out} is the output of a build: command, and there is none", "build: <command with {protos} and {out}>, or drop {out}");
    }
  }
  return doc as RawConfig;
}

/** What only makes sense across keys of one server. */
function checkServer(p: Problems, path: string, s: RawServer): void {
  if (s.start === undefined && s.image === undefined) p.fail(`${path}.start`, "missing: a server needs a command or an image", `${SERVER_FIELDS.start.example}   (or image: <local image>)`);
  if (s.start !== undefined && s.image !== undefined) p.fail(`${path}.image`, "a server has either start: (a command) or image: (a container), not both", "one of them");
  if (s.args !== undefined && s.image === undefined) p.fail(`${path}.args`, "args: go with image: (a command's arguments are part of start:)", "them into start:");
  const texts = [s.start ?? "", ...(s.args ?? []), ...Object.values(s.env ?? {}).map(String)].join(" ");
  if (texts.includes("{out}") && s.build === undefined) p.fail(`${path}.${s.start !== undefined ? "start" : "args"}`, "{out} is the output of a build: command, and there is none", "build: <command with {protos} and {out}>, or drop {out}");
  const groups = new RegExp(`${s.ready}|`).exec("")!.length - 1;
  if (groups === 0 && !texts.includes("{port}") && !s.harnessFlags) {
    p.fail(`${path}.ready`, "the ready line has no group 1 (the address) and the server is not given {port}", `ready: "listening on (\\\\S+)", or pass --port {port} in start:`);
  }
}
