// Reads interop.config.yaml: YAML (the `yaml` package, duplicate keys refused), the schema
// (schema.ts), then paths resolved against the file's folder and commands split into words with
// {host} {protos} {root} {out} filled in ({port} is filled at each start, by the runtime).
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import type { Command } from "../peers.js";
import { ROOT } from "../paths.js";
import { HOST, fill, splitCommand, type Placeholder } from "./command-line.js";
import { ConfigError, Problems, validate, type RawConfig, type RawServer } from "./schema.js";
import type { ClientDecl, ServerDecl } from "./types.js";

export const DEFAULT_CONFIG = resolve(ROOT, "interop.config.yaml");

/** A config file as parsed and checked, before its commands are filled in. */
export interface ConfigFile {
  file: string;
  /** How the file is named in messages: relative to the working directory when inside it. */
  shown: string;
  dir: string;
  raw: RawConfig;
  protosDir: string;
  cases: string[];
}

const show = (file: string) => {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
};

export function readConfig(file = DEFAULT_CONFIG): ConfigFile {
  const shown = show(file);
  if (!existsSync(file)) throw new ConfigError(`${shown}: no such file: write one (see README "Bring your own service") or point INTEROP_CONFIG at yours`);
  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(file, "utf8"), { uniqueKeys: true, prettyErrors: false, lineCounter });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const pos = lineCounter.linePos(e.pos[0]);
    const at = `line ${pos.line} column ${pos.col}`;
    throw new ConfigError(`${shown}: ${at}: ${e.message.split("\n")[0]}: write valid YAML (a mapping of keys to values)`);
  }
  const raw = validate(shown, doc.toJS());
  const dir = dirname(file);
  const p = new Problems(shown);
  const protosDir = resolve(dir, raw.protos ?? "proto");
  if (!existsSync(protosDir) || !statSync(protosDir).isDirectory()) p.fail("protos", `${protosDir} is not a folder`, "protos: <the folder of your .proto files, relative to this file>");
  const caseList = raw.cases === undefined ? ["fixtures/cases"] : typeof raw.cases === "string" ? [raw.cases] : raw.cases;
  const cases = caseList.map((c, i) => {
    const path = resolve(dir, c);
    if (!existsSync(path)) p.fail(`cases[${i}]`, `${path} does not exist`, "cases: [<case files or folders, relative to this file>]");
    return path;
  });
  return { file, shown, dir, raw, protosDir, cases };
}

/** Fills the placeholders of one side (compat builds each side with its own {protos} and {out}). */
export interface Side {
  protos: string;
  /** Where a build: command writes; defaults to .build/declared/<peer>. */
  outFor: (peer: string) => string;
}

export const defaultSide = (config: ConfigFile): Side => ({ protos: config.protosDir, outFor: (peer) => resolve(ROOT, ".build", "declared", peer) });

function values(side: Side, peer: string): Partial<Record<Placeholder, string>> {
  return { host: HOST, protos: side.protos, root: ROOT, out: side.outFor(peer) };
}

function words(config: ConfigFile, path: string, text: string, vals: Partial<Record<Placeholder, string>>): string[] {
  const split = splitCommand(fill(text, vals));
  if ("error" in split) return new Problems(config.shown).fail(path, split.error, "one program and its arguments");
  const [file, ...args] = split;
  // A program named by a relative path is found from the config file's folder, like every path.
  return [file.includes("/") && !isAbsolute(file) ? resolve(config.dir, file) : file, ...args];
}

const fillEnv = (env: Record<string, unknown> | undefined, vals: Partial<Record<Placeholder, string>>) =>
  env && Object.fromEntries(Object.entries(env).map(([k, v]) => [k, fill(String(v), vals)]));

function readyRule(s: RawServer) {
  return {
    line: new RegExp(s.ready),
    tls: s.readyTls === undefined ? undefined : new RegExp(s.readyTls),
    mtls: s.readyMtls === undefined ? undefined : new RegExp(s.readyMtls),
    what: `line matching /${s.ready}/`,
  };
}

export function declaredServers(config: ConfigFile, side: Side = defaultSide(config)): ServerDecl[] {
  return Object.entries(config.raw.servers ?? {}).map(([name, s]) => {
    const vals = values(side, name);
    const launch = { env: fillEnv(s.env, vals), ready: readyRule(s), harnessFlags: s.harnessFlags ?? false, startTimeoutMs: s.startTimeoutMs };
    let process: Command | undefined;
    if (s.start !== undefined) {
      const [file, ...args] = words(config, `servers.${name}.start`, s.start, vals);
      process = { file, args, cwd: config.dir, ...launch };
    }
    return {
      name,
      origin: config.shown,
      process,
      container: s.image === undefined ? undefined : { image: s.image, args: (s.args ?? []).map((a) => fill(a, vals)), ...launch },
      containerOnly: s.image !== undefined,
      fresh: s.fresh ?? "run",
      services: s.services ?? ["*"],
      build: s.build === undefined ? undefined : words(config, `servers.${name}.build`, s.build, vals),
    };
  });
}

export function declaredClients(config: ConfigFile, side: Side = defaultSide(config)): ClientDecl[] {
  return Object.entries(config.raw.clients ?? {}).map(([name, c]) => {
    const vals = values(side, name);
    const [file, ...args] = words(config, `clients.${name}.command`, c.command, vals);
    return {
      name,
      origin: config.shown,
      process: { file, args, cwd: config.dir, env: fillEnv(c.env, vals) },
      runs: c.runs,
      build: c.build === undefined ? undefined : words(config, `clients.${name}.build`, c.build, vals),
    };
  });
}
