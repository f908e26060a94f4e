// Where things live, relative to the repository root, so every module agrees.
import { basename, dirname, resolve } from "node:path";

/** Where scripts/lib/compile-ts.mjs puts the compiled TypeScript, in the repository's own layout. */
const COMPILED_SUBDIR = [".build", "js"];
const here = resolve(import.meta.dirname, "..");
/** The repository, whether this module runs from its source or from the compiled copy under .build/js/. */
export const ROOT = basename(here) === COMPILED_SUBDIR[1] && basename(dirname(here)) === COMPILED_SUBDIR[0] ? resolve(here, "..", "..") : here;
export const COMPILED_DIR = resolve(ROOT, ...COMPILED_SUBDIR);
// INTEROP_FIXTURES_DIR reads cases and lists from elsewhere (tests that need a bad fixture).
export const FIXTURES_DIR = resolve(ROOT, process.env.INTEROP_FIXTURES_DIR || "fixtures");
// INTEROP_REPORTS_DIR moves them, e.g. for a test that runs the CLI without touching reports/.
export const REPORTS_DIR = resolve(ROOT, process.env.INTEROP_REPORTS_DIR || "reports");
export const BUILD_DIR = resolve(ROOT, ".build");
export const GEN_DIR = resolve(ROOT, "gen");
export const VENV_PYTHON = resolve(ROOT, ".venv", "bin", "python");
export const CERTS_DIR = resolve(BUILD_DIR, "certs");
/**
 * The contract as one FileDescriptorSet (scripts/prepare.ts builds it): every peer gets its path
 * as INTEROP_DESCRIPTOR_SET. Another build (npm run compat) keeps its own under its outDir.
 */
export const DESCRIPTOR_SET = resolve(BUILD_DIR, "contract", "descriptors.binpb");
export const descriptorSetFor = (outDir: string) => (outDir === ROOT ? DESCRIPTOR_SET : resolve(outDir, "contract", "descriptors.binpb"));
/** The run's contract: a config with protos of its own has its own set (interop/config/prepare-config.ts sets the variable). */
export const runDescriptorSet = () => process.env.INTEROP_DESCRIPTOR_SET || DESCRIPTOR_SET;
