// Where things live, relative to the repository root, so every module agrees.
import { resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "..");
export const FIXTURES_DIR = resolve(ROOT, "fixtures");
export const REPORTS_DIR = resolve(ROOT, "reports");
export const BUILD_DIR = resolve(ROOT, ".build");
export const GEN_DIR = resolve(ROOT, "gen");
export const VENV_PYTHON = resolve(ROOT, ".venv", "bin", "python");
export const CERTS_DIR = resolve(BUILD_DIR, "certs");
