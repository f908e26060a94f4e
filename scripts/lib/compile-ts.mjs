// The project's TypeScript compiled to plain JavaScript under .build/js/, in the repository's own
// layout (gen/ts beside it): the TS peers (ts server, ts client driver, the go-official client
// adapter) and the CLI of `npm run interop` run from there. Through tsx, every start spends
// about 0.3 s of CPU on tsx and its loader; a compiled ts-server is up in half the time
// (README: Speed). Only the types go: esbuild transforms file by file and bundles nothing, so
// imports, the generated code found by folder (ts-client/registry.ts) and dynamic imports stay
// as in the source. Re-run whenever a source changes (a content stamp), so nothing compiled is
// ever stale. Plain JavaScript, because it runs before anything can load TypeScript.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

/** Everything the compiled programs import: their own folders and the generated code. */
const SOURCES = ["ts-client", "ts-server", "interop", "scripts", "conformance", "gen/ts"];
const isSource = (f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".d.ts");
// Plain .mjs helpers found beside a module (interop/runtime/stdin-guard.mjs) are copied as they are.
const isCopied = (f) => f.endsWith(".mjs");

export const compiledDir = (root) => join(root, ".build", "js");

function listFiles(root) {
  const out = [];
  const walk = (p) => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) {
      for (const e of readdirSync(p)) if (e !== "node_modules" && e !== "__pycache__" && e !== "testdata") walk(join(p, e));
    } else if (isSource(p) || isCopied(p)) out.push(p);
  };
  SOURCES.forEach((s) => walk(join(root, s)));
  return out.sort();
}

/** Compiles what changed since the last compile; returns whether it compiled. */
export async function compileTs(root, log = () => {}) {
  const { build, version } = await import("esbuild");
  const files = listFiles(root);
  const out = compiledDir(root);
  const stamp = join(out, ".stamp");
  const hash = createHash("sha256").update(`esbuild ${version}`);
  for (const f of files) hash.update(relative(root, f)).update("\0").update(readFileSync(f)).update("\0");
  const digest = hash.digest("hex");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === digest) return false;
  log(`compiling ${files.length} TypeScript files (esbuild) into ${relative(root, out)} ...`);
  // Written over in place, never removed first: a running `npm run interop` loads its own
  // modules from here, and the set-up compiles again after generating code.
  mkdirSync(out, { recursive: true });
  try {
    await build({ entryPoints: files.filter(isSource), outdir: out, outbase: root, format: "esm", platform: "node", target: "node20", logLevel: "silent" });
  } catch (e) {
    // One line: where the first error is and what it says.
    const first = e.errors?.[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : "";
    throw new Error(first ? `${where}${first.text}` : String(e.message ?? e).split("\n")[0]);
  }
  for (const f of files.filter(isCopied)) {
    mkdirSync(dirname(join(out, relative(root, f))), { recursive: true });
    copyFileSync(f, join(out, relative(root, f)));
  }
  // ESM like the repository (its package.json says "type": "module").
  writeFileSync(join(out, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(stamp, digest);
  return true;
}
