// A command as written in interop.config.yaml ("node ../svc/main.js --port {port}") becomes an
// argv without a shell: the harness must own the process it starts (to stop it, to see it
// exit), and a shell in between would hide both. Quotes group words; shell operators are refused.

/** The placeholders a config command may use; {port} is filled in at each start. */
export const PLACEHOLDERS = ["host", "port", "protos", "root", "out"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

export const HOST = "127.0.0.1";

/** Splits a command line into words: whitespace separates, "..." and '...' group, \ escapes. */
export function splitCommand(line: string): string[] | { error: string } {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === "\\" && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= "";
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (ch === "\\" && i + 1 < line.length) {
      word = (word ?? "") + line[++i];
    } else {
      word = (word ?? "") + ch;
    }
  }
  if (quote) return { error: `unclosed ${quote} quote` };
  if (word !== undefined) words.push(word);
  const operator = words.find((w) => ["|", "||", "&&", ";", "&", ">", ">>", "<", "2>&1"].includes(w));
  if (operator) return { error: `"${operator}" is a shell operator and no shell runs this command: write one program and its arguments (put a pipeline in a script)` };
  if (words.length === 0) return { error: "the command is empty" };
  return words;
}

/** The placeholders used in a text, and any name that is not one. */
export function placeholdersIn(text: string): { used: Placeholder[]; unknown: string[] } {
  const used: Placeholder[] = [];
  const unknown: string[] = [];
  for (const m of text.matchAll(/\{([A-Za-z_][\w-]*)\}/g)) {
    if ((PLACEHOLDERS as readonly string[]).includes(m[1])) used.push(m[1] as Placeholder);
    else unknown.push(`{${m[1]}}`);
  }
  return { used, unknown };
}

/** Fills the placeholders that have a value; others (e.g. {port} until a start) stay as they are. */
export function fill(text: string, values: Partial<Record<Placeholder, string>>): string {
  return text.replace(/\{([A-Za-z_][\w-]*)\}/g, (whole, name: string) => values[name as Placeholder] ?? whole);
}
