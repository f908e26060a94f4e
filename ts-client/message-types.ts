// Every message type the generated TypeScript code knows, keyed by full name ("greeter.HelloRequest").
//
// ts-proto names a message's const after the message (nested ones Outer_Inner) and exports the
// file's package as `protobufPackage`, which is all it takes to find types generically.
import { importGenerated } from "./registry.js";

export interface MessageFns {
  decode(input: Uint8Array): unknown;
  encode(message: unknown): { finish(): Uint8Array };
  fromJSON(object: unknown): unknown;
}

export async function loadMessageTypes(genDir?: string): Promise<Map<string, MessageFns>> {
  const types = new Map<string, MessageFns>();
  for (const mod of await importGenerated(genDir)) {
    const pkg = typeof mod.protobufPackage === "string" && mod.protobufPackage ? `${mod.protobufPackage}.` : "";
    for (const [name, value] of Object.entries(mod)) {
      const fns = value as Partial<MessageFns>;
      if (typeof fns?.decode === "function" && typeof fns.encode === "function") types.set(pkg + name.replaceAll("_", "."), fns as MessageFns);
    }
  }
  return types;
}
