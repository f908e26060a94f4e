// Channel set-up for one case: credentials (plaintext, TLS, mTLS with a server-name override),
// gzip, and request metadata. Also renders received metadata for the observation.
import { readFileSync } from "node:fs";
import { connectivityState, credentials, Metadata, type ChannelCredentials, type ChannelOptions, type Client } from "@grpc/grpc-js";
import type { CaseSpec } from "../../interop/contract.js";

export function channelFor(spec: CaseSpec): { creds: ChannelCredentials; options: ChannelOptions } {
  const options: ChannelOptions = {};
  if (spec.compression === "gzip") options["grpc.default_compression_algorithm"] = 2; // gzip
  if (!spec.tls) return { creds: credentials.createInsecure(), options };
  const { caFile, certFile, keyFile, serverNameOverride } = spec.tls;
  const creds = credentials.createSsl(readFileSync(caFile), keyFile ? readFileSync(keyFile) : null, certFile ? readFileSync(certFile) : null);
  options["grpc.ssl_target_name_override"] = serverNameOverride;
  options["grpc.default_authority"] = serverNameOverride;
  return { creds, options };
}

/** The case's request metadata, every value; "-bin" values are base64 in the case JSON. */
export function requestMetadata(spec: CaseSpec): Metadata {
  const md = new Metadata();
  for (const [key, values] of Object.entries(spec.metadata ?? {})) {
    for (const v of values) md.add(key, key.endsWith("-bin") ? Buffer.from(v, "base64") : v);
  }
  if (spec.callReport) md.add("x-interop-tag", spec.callReport.tag);
  return md;
}

export function metadataJSON(md: Metadata | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, values] of Object.entries(md?.getMap() ? collect(md) : {})) out[key] = values;
  return out;
}

function collect(md: Metadata): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(md.getMap())) {
    out[key] = md.get(key).map((v) => (Buffer.isBuffer(v) ? v.toString("base64") : String(v)));
  }
  return out;
}

/**
 * Connects before the call starts, waiting until the channel is READY or has failed (bounded by
 * ms). grpc-js accepts writes on a call whose connection is still being set up and sends them
 * later, so without this the first requests' recorded send times would precede the connection
 * and interleaving checks would judge the connection set-up, not the server.
 */
export async function connect(client: Client, ms: number): Promise<void> {
  const channel = client.getChannel();
  const deadline = Date.now() + ms;
  let state = channel.getConnectivityState(true);
  while (state === connectivityState.IDLE || state === connectivityState.CONNECTING) {
    const changed = await new Promise<boolean>((resolve) => channel.watchConnectivityState(state, deadline, (err) => resolve(!err)));
    if (!changed) return; // the call itself will report what is wrong
    state = channel.getConnectivityState(false);
  }
}
