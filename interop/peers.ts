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

/** The images of the container runtime: one per reference language, server and driver in each. */
export type ImageLanguage = "go" | "python";

/**
 * How the Go and Python peers run as containers: the image and the command inside it
 * (interop/peers/<language>/Dockerfile puts them there). The TS peers are the code under test
 * and always run as processes. Arguments after these are the same as in process mode.
 */
export const CONTAINER_COMMANDS: Record<"server" | "client", Record<string, { image: ImageLanguage; args: string[] }>> = {
  server: {
    go: { image: "go", args: ["/usr/local/bin/go-server"] },
    python: { image: "python", args: ["python", "/app/peers/python/server.py"] },
  },
  client: {
    go: { image: "go", args: ["/usr/local/bin/go-client"] },
    python: { image: "python", args: ["python", "/app/peers/python/client.py"] },
  },
};
