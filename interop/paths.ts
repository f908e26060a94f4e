// Where things live, relative to the repository root, so every module agrees.
import { resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "..");
export const FIXTURES_DIR = resolve(ROOT, "fixtures");
// INTEROP_REPORTS_DIR moves them, e.g. for a test that runs the CLI without touching reports/.
export const REPORTS_DIR = resolve(ROOT, process.env.INTEROP_REPORTS_DIR || "reports");
export const BUILD_DIR = resolve(ROOT, ".build");
export const GEN_DIR = resolve(ROOT, "gen");
export const VENV_PYTHON = resolve(ROOT, ".venv", "bin", "python");
export const CERTS_DIR = resolve(BUILD_DIR, "certs");
/** The contract as one FileDescriptorSet (`buf build proto` merged with GRPC_DESCRIPTOR_SET). */
export const DESCRIPTOR_SET = resolve(BUILD_DIR, "contract", "descriptors.binpb");
/** What grpc-go registers (grpc.testing, health, reflection), written by go-descset at set-up. */
export const GRPC_DESCRIPTOR_SET = resolve(BUILD_DIR, "contract", "grpc.binpb");
