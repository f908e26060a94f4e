// The reference peers that ship with the harness and are not the code under test: the Go and
// Python servers and client drivers. They are declared here through the same types as the peers
// of interop.config.yaml (a process command, a container image, a ready rule, services); the
// project's own TS server and client are declared in interop.config.yaml itself.
import { processCommands, REFERENCE_CONTAINER_COMMANDS } from "../peers.js";
import type { ClientDecl, ServerDecl } from "./types.js";

/** What the article's reference servers serve (design §5). */
export const REFERENCE_SERVICES = ["greeter.Greeter", "interop.InteropTest", "userservice.UserService", "grpc.health.v1.Health", "grpc.reflection.v1*"];

export function builtinServers(): ServerDecl[] {
  const commands = processCommands();
  return (["go", "python", "python-aio"] as const).map((name) => ({
    name,
    origin: "built-in",
    process: commands.server[name],
    container: REFERENCE_CONTAINER_COMMANDS.server[name],
    containerOnly: false,
    fresh: "run",
    services: REFERENCE_SERVICES,
  }));
}

export function builtinClients(): ClientDecl[] {
  const commands = processCommands();
  return (["go", "python"] as const).map((name) => ({
    name,
    origin: "built-in",
    process: commands.client[name],
    container: REFERENCE_CONTAINER_COMMANDS.client[name],
  }));
}
