// What the Python peer tests share: a descriptor set of their own (so they do not depend on
// another step having built .build/contract/), and a process runtime whose Python peers read it.
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ROOT } from "../../paths.js";
import { processCommands, type PeerCommands } from "../../peers.js";
import { ProcessRuntime } from "../../runtime/process.js";

/** `buf build proto` (imports included) into a fresh temporary folder; returns the file. */
export function buildDescriptorSet(dir = mkdtempSync(join(tmpdir(), "py-contract-"))): string {
  const out = join(dir, "descriptors.binpb");
  execFileSync(resolve(ROOT, "node_modules/.bin/buf"), ["build", "proto", "-o", out], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  return out;
}

/** The real Python client driver, plus any extra servers (stubs), all given this contract. */
export function pythonRuntime(descriptorSet: string, servers: PeerCommands["server"] = {}): ProcessRuntime {
  const env = { INTEROP_DESCRIPTOR_SET: descriptorSet };
  const withEnv = (cmds: PeerCommands["server"]) =>
    Object.fromEntries(Object.entries(cmds).map(([name, cmd]) => [name, { ...cmd, env: { ...cmd.env, ...env } }]));
  return new ProcessRuntime({ server: withEnv(servers), client: withEnv({ python: processCommands().client.python }) });
}
