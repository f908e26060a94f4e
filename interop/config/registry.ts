// The ONLY list of peers a run has: the servers and clients interop.config.yaml declares (the
// project's own TS server and client among them) plus the built-in reference peers, all of one
// type. The planner, the session, the runtimes and `npm run serve` look peers up here by name;
// none of them knows any peer by name.
import { resolve } from "node:path";
import type { ContainerCommands, PeerCommands } from "../peers.js";
import { builtinClients, builtinServers } from "./builtin.js";
import { declaredClients, declaredServers, DEFAULT_CONFIG, readConfig, type ConfigFile, type Side } from "./load.js";
import { ConfigError } from "./schema.js";
import type { ClientDecl, ServerDecl } from "./types.js";

export class PeerRegistry {
  readonly servers = new Map<string, ServerDecl>();
  readonly clients = new Map<string, ClientDecl>();

  constructor(readonly config: ConfigFile, servers: ServerDecl[], clients: ClientDecl[]) {
    for (const [kind, list, into] of [["servers", servers, this.servers], ["clients", clients, this.clients]] as const) {
      for (const peer of list) {
        const other = (list as (ServerDecl | ClientDecl)[]).find((p) => p.name === peer.name && p !== peer);
        if (other) {
          const [declared, first] = other.origin === "built-in" ? [peer, other] : [other, peer];
          throw new ConfigError(`${config.shown}: ${kind}.${declared.name}: ${declared.name} is already a ${first.origin} ${kind.slice(0, -1)}: choose another name`);
        }
        (into as Map<string, ServerDecl | ClientDecl>).set(peer.name, peer);
      }
    }
  }

  get serverNames(): string[] {
    return [...this.servers.keys()];
  }
  get clientNames(): string[] {
    return [...this.clients.keys()];
  }

  server(name: string): ServerDecl | undefined {
    return this.servers.get(name);
  }

  /** How each peer runs as a local process (image: servers have none). */
  processCommands(): PeerCommands {
    const pick = <T extends { process?: unknown }>(m: Map<string, T>) =>
      Object.fromEntries([...m].filter(([, p]) => p.process).map(([n, p]) => [n, p.process])) as PeerCommands["server"];
    return { server: pick(this.servers), client: pick(this.clients) };
  }

  /** How peers run as containers: always for image: servers; reference images only when asked. */
  containerCommands({ reference }: { reference: boolean }): ContainerCommands {
    const pick = <T extends ServerDecl | ClientDecl>(m: Map<string, T>) =>
      Object.fromEntries([...m].filter(([, p]) => p.container && (reference || ("containerOnly" in p && p.containerOnly))).map(([n, p]) => [n, p.container])) as ContainerCommands["server"];
    return { server: pick(this.servers), client: pick(this.clients) };
  }

  /** Declared servers that run from an image whatever the runtime. */
  get imageServers(): string[] {
    return [...this.servers.values()].filter((s) => s.containerOnly).map((s) => s.name);
  }
}

/** The config file of this run: INTEROP_CONFIG (set by --config), or interop.config.yaml at the root. */
export const configPath = (env = process.env) => (env.INTEROP_CONFIG ? resolve(env.INTEROP_CONFIG) : DEFAULT_CONFIG);

export function loadRegistry(file = configPath(), side?: (config: ConfigFile) => Side): PeerRegistry {
  const config = readConfig(file);
  const s = side?.(config);
  return new PeerRegistry(config, [...declaredServers(config, s), ...builtinServers()], [...declaredClients(config, s), ...builtinClients()]);
}

let cached: { file: string; registry: PeerRegistry } | undefined;

/** Forgets the registry read so far (the contract's path changed: prepare-config.ts). */
export function resetRegistry(): void {
  cached = undefined;
}

/** The run's registry, read once per process. */
export function peerRegistry(): PeerRegistry {
  const file = configPath();
  if (cached?.file !== file) cached = { file, registry: loadRegistry(file) };
  return cached.registry;
}
