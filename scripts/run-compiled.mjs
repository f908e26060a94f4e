// `node scripts/run-compiled.mjs <file.ts> [args]`: runs a TypeScript entry point from its
// compiled copy in .build/js/ (scripts/lib/compile-ts.mjs compiles first whatever changed), which
// starts in half the time tsx takes (README: Speed). `npm run interop` starts this way.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { compiledDir, compileTs } from "./lib/compile-ts.mjs";

const root = resolve(import.meta.dirname, "..");
const [entry, ...args] = process.argv.slice(2);
if (!entry?.endsWith(".ts")) {
  console.error("usage: node scripts/run-compiled.mjs <file.ts> [args]");
  process.exit(2);
}
try {
  await compileTs(root, (msg) => console.error(`setup: ${msg}`));
} catch (e) {
  console.error(`error: the TypeScript does not compile: ${e.message}: fix it and run again`);
  process.exit(2);
}
const compiled = resolve(compiledDir(root), entry.replace(/\.ts$/, ".js"));
// The entry point checks that it is the main module (import.meta.url against argv[1]).
process.argv = [process.argv[0], compiled, ...args];
await import(pathToFileURL(compiled).href);
