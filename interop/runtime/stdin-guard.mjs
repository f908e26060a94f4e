// Runs a declared server that knows nothing of --watch-stdin as if it did: the harness holds this
// guard's stdin; when that pipe closes (the harness ended in any way, SIGKILL included) or the
// guard gets SIGTERM/SIGINT, the server's process group is killed. Output and exit code pass
// through. Usage: node stdin-guard.mjs <program> [args...]
import { spawn } from "node:child_process";

const [file, ...args] = process.argv.slice(2);
const child = spawn(file, args, { stdio: ["ignore", "inherit", "inherit"], detached: true });
const stop = (signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
};
let stopping = false;
const shutdown = () => {
  if (stopping) return;
  stopping = true;
  stop("SIGTERM");
  setTimeout(() => stop("SIGKILL"), 1000).unref();
};
child.on("error", (e) => {
  console.error(`cannot start ${file}: ${e.message}`);
  process.exit(127);
});
child.on("exit", (code, signal) => {
  stop("SIGKILL"); // anything it left in its group
  process.exit(code ?? (signal ? 128 + ({ SIGKILL: 9, SIGTERM: 15, SIGINT: 2 }[signal] ?? 1) : 1));
});
process.stdin.on("end", shutdown).on("error", shutdown).resume();
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
