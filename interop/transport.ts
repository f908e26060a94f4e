// Which port and TLS material a case uses, from its "transport". The certificates are made by
// scripts/make-certs.sh; the server's is for the name "interop.test", which clients dialling
// 127.0.0.1 give as their server-name override.
import { join } from "node:path";
import type { TlsSpec } from "./contract.js";
import type { Transport } from "./fixtures.js";
import { CERTS_DIR } from "./paths.js";
import type { ServerHandle, ServerTls } from "./runtime/types.js";

export const SERVER_NAME = "interop.test";
const cert = (name: string) => join(CERTS_DIR, name);

export const SERVER_TLS: ServerTls = { certFile: cert("server.pem"), keyFile: cert("server.key"), clientCaFile: cert("ca.pem") };

/** The address and client TLS settings for a transport, or why this server cannot offer it. */
export function connectionFor(server: ServerHandle, transport: Transport = "plaintext"): { address: string; tls?: TlsSpec } | { error: string } {
  if (transport === "plaintext") return { address: server.address };
  const mtls = transport.startsWith("mtls");
  const address = mtls ? server.mtlsAddress : server.tlsAddress;
  if (!address) return { error: `${server.name} serves no ${mtls ? "mTLS" : "TLS"} port, which transport "${transport}" needs` };
  // tls-wrong-name: the right CA, but a name the server's certificate does not carry.
  const serverNameOverride = transport === "tls-wrong-name" ? `wrong.${SERVER_NAME}` : SERVER_NAME;
  const tls: TlsSpec = { caFile: cert(transport === "tls-wrong-ca" ? "wrong-ca.pem" : "ca.pem"), serverNameOverride };
  if (transport === "mtls") Object.assign(tls, { certFile: cert("client.pem"), keyFile: cert("client.key") });
  return { address, tls };
}
