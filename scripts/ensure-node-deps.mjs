// Runs before anything that needs node_modules (plain Node, no dependencies): checks the Node
// version and installs the locked packages when node_modules is missing or out of date.
// `npm install` rather than `npm ci`: the lock cannot list buf's binaries for every platform
// (some are not on every registry mirror), which `npm ci` rejects; install still honours it.
import { createHash } from "node:crypto";
import { execSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const fail = (msg) => {
  console.error(`setup: ${msg}`);
  process.exit(1);
};

const major = Number(process.versions.node.split(".")[0]);
if (major < 20) fail(`Node ${process.versions.node} is too old: install Node 20 or newer and run again`);

const stamp = resolve(root, "node_modules", ".interop-deps-hash");
const depsHash = () =>
  createHash("sha256").update(readFileSync(resolve(root, "package.json"))).update(readFileSync(resolve(root, "package-lock.json"))).digest("hex");
if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== depsHash()) {
  console.error("setup: installing npm packages (npm install, as locked) ...");
  try {
    execSync("npm install --no-audit --no-fund --loglevel=error", { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  } catch {
    fail("`npm install` failed (see above): check that the npm registry is reachable, then run again");
  }
  writeFileSync(stamp, depsHash());
}
