// Every RPC the generated TypeScript code knows, keyed "package.Service/Method".
//
// ts-proto emits three things per service: a grpc-js client class (XClient), its grpc-js service
// definition (XService) and a generic definition (XDefinition) naming each method's request and
// response types and streaming. Pairing them lets the driver and the comparator handle any method generically, so a new RPC in
// proto/ needs no code here.
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ChannelCredentials, ChannelOptions, Client } from "@grpc/grpc-js";
import { patternOf, type Pattern } from "../interop/contract.js";

export interface MessageType {
  fromJSON(object: unknown): unknown;
  toJSON(message: unknown): unknown;
  encode(message: unknown): { finish(): Uint8Array };
}

/** ts-proto's grpc-js service definition entry: the wire path and the (de)serializers. */
export interface GrpcMethodDefinition {
  path: string;
  requestSerialize(value: unknown): Buffer;
  responseDeserialize(value: Buffer): unknown;
}

export type ClientConstructor = new (address: string, credentials: ChannelCredentials, options?: ChannelOptions) => Client;

export interface MethodEntry {
  fullName: string;
  /** The generated client's method name, e.g. "sayHello". */
  key: string;
  pattern: Pattern;
  requestType: MessageType;
  responseType: MessageType;
  Client: ClientConstructor;
  grpc: GrpcMethodDefinition;
}

interface GenericDefinition {
  fullName: string;
  methods: Record<string, { name: string; requestType: MessageType; responseType: MessageType; requestStream: boolean; responseStream: boolean }>;
}

/** gen/ts, or another build's generated code (INTEROP_GEN_TS, set by `npm run compat`). */
export const DEFAULT_TS_GEN_DIR = process.env.INTEROP_GEN_TS ?? resolve(import.meta.dirname, "..", "gen", "ts");

/** Every generated module in genDir and its package folders (acme/route/v1/...), imported. */
export async function importGenerated(genDir = DEFAULT_TS_GEN_DIR): Promise<Record<string, unknown>[]> {
  // .ts in gen/ts; .js in the compiled copy (scripts/lib/compile-ts.mjs).
  const files = (readdirSync(genDir, { recursive: true }) as string[]).filter((f) => /\.[jt]s$/.test(f) && !f.endsWith(".d.ts")).sort();
  return Promise.all(files.map((file) => import(pathToFileURL(join(genDir, file)).href) as Promise<Record<string, unknown>>));
}

export async function loadMethods(genDir = DEFAULT_TS_GEN_DIR): Promise<Map<string, MethodEntry>> {
  const methods = new Map<string, MethodEntry>();
  for (const mod of await importGenerated(genDir)) {
    for (const [exportName, value] of Object.entries(mod)) {
      if (!exportName.endsWith("Definition")) continue;
      const def = value as GenericDefinition;
      const Client = mod[exportName.replace(/Definition$/, "Client")] as ClientConstructor | undefined;
      const grpcDef = mod[exportName.replace(/Definition$/, "Service")] as Record<string, GrpcMethodDefinition> | undefined;
      if (!def?.fullName || !def.methods || !Client || !grpcDef) continue;
      for (const [key, m] of Object.entries(def.methods)) {
        const fullName = `${def.fullName}/${m.name}`;
        methods.set(fullName, {
          fullName,
          key,
          pattern: patternOf(m.requestStream, m.responseStream),
          requestType: m.requestType,
          responseType: m.responseType,
          Client,
          grpc: grpcDef[key],
        });
      }
    }
  }
  return methods;
}
