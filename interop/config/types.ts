// A peer as the registry knows it, whether interop.config.yaml declared it or it is built in.
import type { Command, ContainerCommand } from "../peers.js";

export type Fresh = "run" | "client";

export interface ServerDecl {
  name: string;
  /** The config file that declared it, or "built-in". */
  origin: string;
  /** How it runs as a local process (start:). */
  process?: Command;
  /** How it runs as a container: image: (always), or a reference image under --runtime container. */
  container?: ContainerCommand;
  /** Declared with image: it runs in a container whatever the runtime. */
  containerOnly: boolean;
  /** run: one instance for the whole run; client: one per client driver. */
  fresh: Fresh;
  /** Globs of package.Service it serves (the planner runs a case only where its service is). */
  services: string[];
  /** build: with {protos} and {out} filled, as words (npm run compat builds each side). */
  build?: string[];
  /** A stub server: takes --stubs FILE, and runs a case only when it has a `stub` block. */
  stub?: boolean;
}

/** What a client runs: cases by method, and/or grpc's named interop test cases (`testCase`). */
export type ClientRuns = "methods" | "test-cases";

export interface ClientDecl {
  name: string;
  origin: string;
  /** Default ["methods"]. */
  runs?: ClientRuns[];
  process?: Command;
  container?: ContainerCommand;
  build?: string[];
}
