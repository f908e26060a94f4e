// `buf generate` with a failure that names the plugin. buf runs every plugin of buf.gen.yaml at
// once and cancels the rest when one fails, so its own last line often blames a plugin that was
// merely killed ("protoc-gen-ts_proto: signal: killed") for another's error. On failure each
// plugin is run again on its own (a one-plugin template, output to a scratch directory), and the
// first that fails is named with its own message.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { UsageError } from "../../interop/errors.js";
import { ROOT } from "../../interop/paths.js";

const BUF = join(ROOT, "node_modules/.bin/buf");
const TIMEOUT_MS = 600_000;

export interface PluginTemplate {
  /** The plugin as buf.gen.yaml names it (its local path, or remote name). */
  name: string;
  /** A buf.gen.yaml with only this plugin. */
  yaml: string;
}

/**
 * Splits a buf.gen.yaml into one template per plugin, keeping every other top-level section.
 * Works on the text (buf.gen.yaml is this project's, in block style): top-level keys start at
 * column 0, plugin entries are the "- " items under `plugins:`.
 */
export function pluginTemplates(text: string): PluginTemplate[] {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => /^plugins:\s*$/.test(l));
  if (start < 0) return [];
  let end = lines.findIndex((l, i) => i > start && /^\S/.test(l) && !l.startsWith("#"));
  if (end < 0) end = lines.length;
  const others = [...lines.slice(0, start), ...lines.slice(end)].join("\n");
  const items: string[][] = [];
  for (const line of lines.slice(start + 1, end)) {
    if (/^\s*- /.test(line) && (items.length === 0 || indent(line) <= indent(items[0][0]))) items.push([line]);
    else if (items.length) items[items.length - 1].push(line);
  }
  return items.map((item) => {
    const name = /(?:local|remote|protoc_builtin):\s*(\S+)/.exec(item.join("\n"))?.[1] ?? item[0].trim();
    return { name: name.split("/").pop()!, yaml: `${others}\nplugins:\n${item.join("\n")}\n` };
  });
}

const indent = (line: string) => line.length - line.trimStart().length;

/** What a plugin said, as one line: its own lines, without buf's "Failure:" and cancellation noise. */
export function pluginMessage(output: string): string {
  const lines = output
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && l !== "context canceled");
  const own = lines.filter((l) => !l.startsWith("Failure:"));
  const text = (own.length ? own : lines).join(" ").replace(/\s+/g, " ");
  return text.length > 600 ? text.slice(0, 600) + " ..." : text;
}

/**
 * Runs `buf generate args` with a template (a file of the repo root); on failure throws one error
 * line naming the plugin that failed.
 */
export async function bufGenerate(args: string[], hint: string, template = "buf.gen.yaml"): Promise<void> {
  args = [...args, "--template", join(ROOT, template)];
  const r = await execa(BUF, args, { cwd: ROOT, reject: false, timeout: TIMEOUT_MS, all: true });
  if (!r.failed) return;
  if (r.timedOut) throw new UsageError(`\`buf ${args.join(" ")}\` timed out after ${TIMEOUT_MS / 1000} s: ${hint}`);
  const culprit = await findFailingPlugin(args, template);
  if (culprit) throw new UsageError(`code generation failed in plugin ${culprit.name}: ${culprit.message}: ${hint}`);
  throw new UsageError(`\`buf ${args.join(" ")}\` failed: ${pluginMessage(String(r.all ?? ""))}: ${hint}`);
}

/** Runs each plugin of the template alone, in order; the first that fails, with its message. */
async function findFailingPlugin(args: string[], templateFile: string): Promise<{ name: string; message: string } | undefined> {
  const scratch = mkdtempSync(join(tmpdir(), "interop-codegen-"));
  try {
    const input = args[1] && !args[1].startsWith("-") ? [args[1]] : [];
    const paths = args.flatMap((a, i) => (a === "--path" ? ["--path", args[i + 1]] : []));
    for (const [i, plugin] of pluginTemplates(readFileSync(join(ROOT, templateFile), "utf8")).entries()) {
      const template = join(scratch, `plugin-${i}.yaml`);
      writeFileSync(template, plugin.yaml);
      const r = await execa(BUF, ["generate", ...input, ...paths, "--template", template, "-o", join(scratch, "out")], { cwd: ROOT, reject: false, timeout: TIMEOUT_MS, all: true });
      if (r.failed) return { name: plugin.name, message: pluginMessage(String(r.all ?? "")) };
    }
    return undefined;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
