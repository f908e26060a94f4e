// The reference peers that ship with the harness and are not the code under test: the Go and
// Python servers and client drivers. They are declared here through the same types as the peers
// of interop.config.yaml (a process command, a container image, a ready rule, services); the
// project's own TS server and client are declared in interop.config.yaml itself.
import { processCommands, REFERENCE_CONTAINER_COMMANDS } from "../peers.js";
import type { ClientDecl, ServerDecl } from "./types.js";

/**
 * What the article's reference servers serve (README: Adding a case): the project's contracts; all of
 * interop.* counts, since interop.UnimplementedService's spec is that they answer UNIMPLEMENTED.
 */
export const REFERENCE_SERVICES = ["greeter.Greeter", "interop.*", "userservice.UserService", "grpc.health.v1.Health", "grpc.reflection.v1*"];
/** grpc's interop service: calling grpc.testing.UnimplementedService must give UNIMPLEMENTED. */
export const GRPC_TESTING = ["grpc.testing.TestService", "grpc.testing.UnimplementedService"];

/** The stub servers answer any method of the contract as a case's `stub` block says (README: Any contract). */
const STUBS = ["go-stub", "python-stub", "python-aio-stub"] as const;

export function builtinServers(): ServerDecl[] {
  const commands = processCommands();
  const declare = (name: string, services: string[], stub = false): ServerDecl => ({
    name,
    origin: "built-in",
    process: commands.server[name],
    container: REFERENCE_CONTAINER_COMMANDS.server[name],
    containerOnly: false,
    fresh: "run",
    services,
    stub,
  });
  return [
    declare("go", REFERENCE_SERVICES),
    declare("python", [...REFERENCE_SERVICES, ...GRPC_TESTING]),
    declare("python-aio", [...REFERENCE_SERVICES, ...GRPC_TESTING]),
    ...STUBS.map((n) => declare(n, ["*"], true)),
    // grpc-go's official interop server (google.golang.org/grpc/interop/server), via go-netns.
    declare("go-official", GRPC_TESTING),
  ];
}

export function builtinClients(): ClientDecl[] {
  const commands = processCommands();
  const declare = (name: string, runs: ClientDecl["runs"]): ClientDecl => ({ name, origin: "built-in", process: commands.client[name], container: REFERENCE_CONTAINER_COMMANDS.client[name], runs });
  // go-official: grpc-go's official interop client, through its adapter; it runs the named test cases only.
  return [declare("go", ["methods"]), declare("python", ["methods"]), declare("go-official", ["test-cases"])];
}
