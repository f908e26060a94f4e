// The project's TS peers (the ts server, the ts client driver, the go-official client adapter)
// compiled to plain JavaScript under .build/js/, in the repository's own layout, with gen/ts
// beside them. Run through tsx, each start of a peer spends about 0.3 s of CPU loading tsx and
// its loader; compiled, a ts-server is up in about half the time (README: Speed). Only the
// types go: esbuild transforms file by file and bundles nothing, so imports, the generated code
// found by folder (ts-client/registry.ts) and the dynamic imports stay as in the source.
// Re-run whenever a source file changes (a content stamp), so a compiled peer is never stale.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { build, version } from "esbuild";
import { COMPILED_DIR, ROOT } from "../../interop/paths.js";
import { hashFiles, isFresh, listFiles, writeStamp } from "./stamp.js";

/** What the compiled peers import: their own folders, the harness modules they share, generated code. */
const SOURCES = ["ts-client", "ts-server", "interop", "gen/ts"];

export async function compileTsPeers(log: (msg: string) => void): Promise<void> {
  const files = listFiles(SOURCES, (f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".d.ts"));
  const stamp = join(COMPILED_DIR, ".stamp");
  const hash = hashFiles(files, `esbuild ${version}`);
  if (isFresh(stamp, hash)) return;
  log(`compiling the TS peers (${files.length} files, esbuild) into ${relative(ROOT, COMPILED_DIR)} ...`);
  rmSync(COMPILED_DIR, { recursive: true, force: true });
  await build({ entryPoints: files, outdir: COMPILED_DIR, outbase: ROOT, format: "esm", platform: "node", target: "node20", logLevel: "silent" });
  // ESM like the repository (its package.json says "type": "module").
  mkdirSync(COMPILED_DIR, { recursive: true });
  writeFileSync(join(COMPILED_DIR, "package.json"), JSON.stringify({ type: "module" }));
  writeStamp(stamp, hash);
}
