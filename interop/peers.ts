// The peers the matrix knows: every language has a server and a client driver. How a peer is
// launched (as a process here, as a container in interop/runtime/container.ts) is the runtime's
// business; this file only says what each one is.
import { resolve } from "node:path";
import { BUILD_DIR, ROOT, VENV_PYTHON } from "./paths.js";

export const SERVERS = ["ts", "go", "python"] as const;
export const CLIENTS = ["ts", "go", "python"] as const;
export type ServerName = (typeof SERVERS)[number];
export type ClientName = (typeof CLIENTS)[number];

export interface Command {
  file: string;
  args: string[];
}

const tsx = (script: string): Command => ({ file: process.execPath, args: ["--import", "tsx", resolve(ROOT, script)] });

/** How each server and driver runs as a local process (built binaries, never `go run`). */
export const PROCESS_COMMANDS: Record<"server" | "client", Record<string, Command>> = {
  server: {
    ts: tsx("ts-server/main.ts"),
    go: { file: resolve(BUILD_DIR, "bin", "go-server"), args: [] },
    python: { file: VENV_PYTHON, args: [resolve(ROOT, "interop/peers/python/server.py")] },
  },
  client: {
    ts: tsx("ts-client/driver.ts"),
    go: { file: resolve(BUILD_DIR, "bin", "go-client"), args: [] },
    python: { file: VENV_PYTHON, args: [resolve(ROOT, "interop/peers/python/client.py")] },
  },
};

/** The article's demo clients (npm run demo): each runs its four sections against --addr. */
export const DEMO_CLIENT_COMMANDS: Record<ClientName, Command> = {
  ts: tsx("ts-client/demo.ts"),
  go: { file: resolve(BUILD_DIR, "bin", "go-democlient"), args: [] },
  python: { file: VENV_PYTHON, args: [resolve(ROOT, "interop/peers/python/demo_client.py")] },
};
