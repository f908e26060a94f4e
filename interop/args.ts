// Command-line parsing shared by the npm run commands (interop, demo, serve): a bad flag is a
// one-line UsageError, --help prints the usage, and numbers are checked with a one-line error.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.js";

export function parseCommandLine<T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>> {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs(config);
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split("\n")[0]} (see --help)`);
  }
  if ((parsed.values as Record<string, unknown>).help) {
    console.log(usage);
    process.exit(0);
  }
  return parsed;
}

/** A flag's value as a whole number in [min, max], or a one-line error that says what it must be. */
export function wholeNumber(flag: string, value: string, min: number, max: number, hint = ""): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`${flag} must be ${min}-${max}${hint}, got "${value}"`);
  return n;
}
