// How the reference languages' programs are launched: servers, drivers, vector programs and the
// article's demo clients of TS, Go and Python. Which peers a run has (these and the ones
// interop.config.yaml declares) is the peer registry's business: interop/config/registry.ts.
import { resolve } from "node:path";
import { BUILD_DIR, COMPILED_DIR, descriptorSetFor, ROOT, runDescriptorSet, VENV_PYTHON } from "./paths.js";
import type { ReadyRule } from "./runtime/types.js";

/** The article's languages: the demo's servers and clients, and the vector programs. */
export const SERVERS = ["ts", "go", "python", "python-aio"] as const;
export const CLIENTS = ["ts", "go", "python"] as const;
/**
 * Every client the matrix plans cells on: the reference drivers plus grpc-go's official interop
 * client ("go-official", google.golang.org/grpc/interop/client at go.mod's version; its server,
 * google.golang.org/grpc/interop/server, is the "go-official" server).
 */
export const MATRIX_CLIENTS = [...CLIENTS, "go-official"] as const;
/** What each client runs: cases by method ("methods"), grpc's named interop test cases ("test-cases"). */
export const CLIENT_RUNS: Record<string, ("methods" | "test-cases")[]> = {
  ts: ["methods", "test-cases"], go: ["methods"], python: ["methods"], "go-official": ["test-cases"],
};
export type ServerName = (typeof SERVERS)[number];
export type ClientName = (typeof CLIENTS)[number];

export interface Command {
  file: string;
  args: string[];
  /** Added to the environment: points a peer at another build's generated code. */
  env?: Record<string, string>;
  /** Where it runs (a declared peer: its config file's folder); the repo root by default. */
  cwd?: string;
  /** Servers: how it says it is ready; the reference servers' LISTENING lines by default. */
  ready?: ReadyRule;
  /** Servers: takes the reference servers' flags (--tick-ms, --watch-stdin, --port, --tls-*); default true. */
  harnessFlags?: boolean;
  /** Servers: how long it may take to get ready (overrides the matrix setting). */
  startTimeoutMs?: number;
}

/** A peer run as a container: one of this project's images (by language) or any local image. */
export interface ContainerCommand extends Omit<Command, "file" | "cwd"> {
  language?: ImageLanguage;
  image?: string;
  /** Linux capabilities the container needs (go-netns: SYS_ADMIN, NET_ADMIN). */
  capabilities?: string[];
}

export type PeerCommands = Record<"server" | "client", Record<string, Command>>;

/**
 * Another build of the peers (npm run compat): the same peer source, code generated from other
 * protos into <outDir>/gen, Go binaries in binDir. Python and the TS client take the generated
 * code's location from the environment; the TS server imports gen/ts statically, so a loader hook
 * redirects those imports (runtime/ts-gen-redirect.mjs).
 */
export interface PeerBuild {
  outDir: string;
  binDir: string;
}

const DEFAULT_PEER_BUILD: PeerBuild = { outDir: ROOT, binDir: resolve(BUILD_DIR, "bin") };

/** How a TS script, a Go binary and a Python script of one build are launched. */
function launchers(build: PeerBuild) {
  const isDefault = build.outDir === ROOT;
  // Every peer finds the contract (methods, message types) in the build's descriptor set.
  const env: Record<string, string> = { INTEROP_DESCRIPTOR_SET: isDefault ? runDescriptorSet() : descriptorSetFor(build.outDir) };
  if (!isDefault) Object.assign(env, { INTEROP_GEN_TS: resolve(build.outDir, "gen", "ts"), INTEROP_GEN_PYTHON: resolve(build.outDir, "gen", "python") });
  const redirect = isDefault ? [] : ["--import", resolve(ROOT, "interop/runtime/ts-gen-redirect.mjs")];
  return {
    // The project's own build runs its compiled copy (scripts/lib/compile-ts.mjs); another build
    // runs the source through tsx, its generated-code imports redirected.
    ts: (script: string): Command =>
      isDefault
        ? { file: process.execPath, args: [resolve(COMPILED_DIR, script.replace(/\.ts$/, ".js"))], env }
        : { file: process.execPath, args: ["--import", "tsx", ...redirect, resolve(ROOT, script)], env },
    go: (peer: string): Command => ({ file: resolve(build.binDir, `go-${peer}`), args: [], env }),
    python: (script: string): Command => ({ file: VENV_PYTHON, args: [resolve(ROOT, "interop/peers/python", script)], env }),
  };
}

export function processCommands(build: PeerBuild = DEFAULT_PEER_BUILD): PeerCommands {
  const { ts, go, python } = launchers(build);
  return {
    server: {
      ts: ts("ts-server/main.ts"), go: go("server"), python: python("server.py"), "python-aio": python("aio_server.py"),
      "go-stub": go("stub"), "python-stub": python("stub_server.py"), "python-aio-stub": python("aio_stub_server.py"),
      "go-official": goOfficialServer(),
    },
    client: { ts: ts("ts-client/driver.ts"), go: go("client"), python: python("client.py"), "go-official": ts("interop/peers/go-official/client-adapter.ts") },
  };
}

/**
 * grpc-go's official interop server listens on every interface (it has no host flag), so it runs
 * in a network namespace of its own, reached through go-netns on 127.0.0.1. Always the
 * project's own build: it does not depend on the contract.
 */
function goOfficialServer(): Command {
  const bin = DEFAULT_PEER_BUILD.binDir;
  return { file: resolve(bin, "go-netns"), args: ["--server", `${resolve(bin, "go-official-server")} -port {port}`] };
}

/** The golden-vector round-trip programs, one per language (npm run vectors, npm run compat). */
export function vectorCommands(build: PeerBuild = DEFAULT_PEER_BUILD): Record<ClientName, Command> {
  const { ts, go, python } = launchers(build);
  return { ts: ts("ts-client/vectors.ts"), go: go("vectors"), python: python("vectors.py") };
}

/** The performance drivers of `npm run perf` (interop/perf/): one per client language. */
export function perfCommands(build: PeerBuild = DEFAULT_PEER_BUILD): Record<ClientName, Command> {
  const { ts, go, python } = launchers(build);
  return { ts: ts("ts-client/perf.ts"), go: go("perf"), python: python("perf.py") };
}

/** The article's demo clients (npm run demo): each runs its four sections against --addr. */
export const DEMO_CLIENT_COMMANDS: Record<ClientName, Command> = (() => {
  const { ts, go, python } = launchers(DEFAULT_PEER_BUILD);
  return { ts: ts("ts-client/demo.ts"), go: go("democlient"), python: python("demo_client.py") };
})();

/** The images of the container runtime: one per reference language, server and driver in each. */
export type ImageLanguage = "go" | "python";

export type ContainerCommands = Record<"server" | "client", Record<string, ContainerCommand>>;

/**
 * How the Go and Python peers run as containers: the image and the command inside it
 * (interop/peers/<language>/Dockerfile puts them there). The TS peers are the code under test
 * and always run as processes. Arguments after these are the same as in process mode.
 */
export const REFERENCE_CONTAINER_COMMANDS: ContainerCommands = {
  server: {
    go: { language: "go", args: ["/usr/local/bin/go-server"] },
    // go-netns makes a network namespace inside the container (host network): it needs these.
    "go-official": { language: "go", args: ["/usr/local/bin/go-netns", "--server", "/usr/local/bin/go-official-server -port {port}"], capabilities: ["SYS_ADMIN", "NET_ADMIN"] },
    python: { language: "python", args: ["python", "/app/peers/python/server.py"] },
    "python-aio": { language: "python", args: ["python", "/app/peers/python/aio_server.py"] },
    "go-stub": { language: "go", args: ["/usr/local/bin/go-stub"] },
    "python-stub": { language: "python", args: ["python", "/app/peers/python/stub_server.py"] },
    "python-aio-stub": { language: "python", args: ["python", "/app/peers/python/aio_stub_server.py"] },
  },
  client: {
    go: { language: "go", args: ["/usr/local/bin/go-client"] },
    python: { language: "python", args: ["python", "/app/peers/python/client.py"] },
  },
};
