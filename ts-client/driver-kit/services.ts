// The client under test, found in what a team hands the driver: grpc-js service definitions
// (ts-proto's XService, @grpc/proto-loader's package definition) or generic client classes
// (ts-proto's XClient, makeGenericClientConstructor's), alone or in a module namespace.
// Each method is bound by its wire path, so whatever generated the code, the driver calls it.
import { makeGenericClientConstructor, type MethodDefinition, type ServiceClientConstructor, type ServiceDefinition } from "@grpc/grpc-js";

/** A service definition, a client class, or an object holding some (a module, a package definition). */
export type ServiceSource = ServiceDefinition | ServiceClientConstructor | Record<string, unknown>;

export interface ClientMethod {
  /** The client's method name for it (ts-proto: "sayHello"). */
  key: string;
  definition: MethodDefinition<unknown, unknown>;
  Client: ServiceClientConstructor;
}

const isMethod = (v: unknown): v is MethodDefinition<unknown, unknown> =>
  typeof v === "object" && v !== null && typeof (v as MethodDefinition<unknown, unknown>).path === "string" && typeof (v as MethodDefinition<unknown, unknown>).requestDeserialize === "function";

const isService = (v: unknown): v is ServiceDefinition =>
  typeof v === "object" && v !== null && Object.values(v).length > 0 && Object.values(v).every(isMethod);

const isClientClass = (v: unknown): v is ServiceClientConstructor => typeof v === "function" && isService((v as ServiceClientConstructor).service);

/** Every method of the given sources, keyed by wire path ("/pkg.Service/Method"). A client class wins over a bare definition. */
export function bindServices(sources: Iterable<ServiceSource>): Map<string, ClientMethod> {
  const methods = new Map<string, ClientMethod>();
  const add = (def: ServiceDefinition, Client: ServiceClientConstructor, replace: boolean) => {
    for (const [key, definition] of Object.entries(def)) {
      if (replace || !methods.has(definition.path)) methods.set(definition.path, { key, definition, Client });
    }
  };
  const visit = (source: unknown, depth: number) => {
    if (isClientClass(source)) add(source.service, source, true);
    else if (isService(source)) add(source, makeGenericClientConstructor(source, ""), false);
    else if (depth < 4 && source !== null && (typeof source === "object" || typeof source === "function") && !ArrayBuffer.isView(source)) {
      for (const v of Object.values(source)) visit(v, depth + 1); // modules, packages (proto-loader nests by package)
    }
  };
  for (const source of sources) visit(source, 0);
  return methods;
}
