// Starting a server of the registry, the same way for the matrix and for `npm run serve`: the
// runtime starts it and waits for its ready line; then, where it serves grpc.health.v1, it must
// answer SERVING, or its start failed (and it is stopped).
import { globMatch } from "../glob.js";
import { checkServing } from "../runtime/health.js";
import type { PeerRuntime, ServerHandle, ServerOptions } from "../runtime/types.js";
import type { ServerDecl } from "./types.js";

const HEALTH = "grpc.health.v1.Health";
const HEALTH_TIMEOUT_MS = 5000;

export const servesHealth = (decl: ServerDecl) => decl.services.some((g) => g !== "*" && globMatch(g, HEALTH));

export async function startServer(runtime: PeerRuntime, decl: ServerDecl, options: ServerOptions): Promise<ServerHandle> {
  const handle = await runtime.startServer(decl.name, options);
  if (!servesHealth(decl)) return handle;
  const problem = await checkServing(decl.name, handle.address, HEALTH_TIMEOUT_MS);
  if (!problem) return handle;
  await handle.stop();
  throw new Error(problem);
}
