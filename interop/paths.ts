// Where things live, relative to the repository root, so every module agrees.
import { resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "..");
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
