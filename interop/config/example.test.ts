// The example service nobody here wrote (fixtures/examples/notes): declared only in its own
// interop.config.yaml, with its proto in a nested package folder, its stateful bidi method and its
// own client wrapped by the driver kit. Every client passes against its server, and its client
// against every stub; with one shared server instance (fresh: run) the stateful chat breaks.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { expect, test } from "vitest";
import { ROOT } from "../paths.js";

const EXAMPLE = join(ROOT, "fixtures/examples/notes");
const STUBS = ["go-stub", "python-stub", "python-aio-stub"];
const CLIENTS = ["notes-client", "go", "python"];

interface Cell { client: string; server: string; case: string; status: string; error?: string }

async function run(config: string, args: string[] = []): Promise<{ exitCode?: number; cells: Cell[]; stderr: string }> {
  const reports = mkdtempSync(join(tmpdir(), "notes-reports-"));
  try {
    const r = await execa(process.execPath, ["--import", "tsx", "interop/cli.ts", "--config", config, "--runtime", "process", ...args], {
      cwd: ROOT, reject: false, timeout: 300_000, env: { INTEROP_REPORTS_DIR: reports },
    });
    const report = JSON.parse(readFileSync(join(reports, "interop.json"), "utf8"));
    return { exitCode: r.exitCode, cells: report.cells, stderr: String(r.stderr) };
  } finally {
    rmSync(reports, { recursive: true, force: true });
  }
}

test("every client passes against the notes server, and the notes client against every stub", async () => {
  const { exitCode, cells } = await run(join(EXAMPLE, "interop.config.yaml"));
  const failed = cells.filter((c) => c.status !== "passed").map((c) => `${c.client} -> ${c.server} | ${c.case}: ${c.error}`);
  expect(failed).toEqual([]);
  expect(exitCode).toBe(0);
  const pairs = new Set(cells.map((c) => `${c.client} -> ${c.server}`));
  for (const client of CLIENTS) for (const server of ["notes", ...STUBS]) expect(pairs, `${client} -> ${server}`).toContain(`${client} -> ${server}`);
  // All four patterns on the real server, for each client; the received-check case only on stubs.
  expect(cells.filter((c) => c.server === "notes" && c.client === "notes-client").map((c) => c.case).sort()).toEqual(["notes-chat", "notes-get", "notes-get-missing", "notes-list", "notes-trip"]);
  expect(new Set(cells.filter((c) => c.case === "notes-chat-sent").map((c) => c.server))).toEqual(new Set(STUBS));
  // Only the example's peers and the stubs: the reference servers do not serve acme.notes.v1.
  expect(new Set(cells.map((c) => c.server))).toEqual(new Set(["notes", ...STUBS]));
}, 300_000);

test("with one instance shared by every client (fresh: run), the stateful chat fails for the later clients", async () => {
  const shared = join(EXAMPLE, `shared-${process.pid}.tmp.yaml`);
  const yaml = readFileSync(join(EXAMPLE, "interop.config.yaml"), "utf8");
  expect(yaml).toMatch(/fresh: client/);
  writeFileSync(shared, yaml.replace("fresh: client", "fresh: run"));
  try {
    const { cells } = await run(shared, ["--server", "notes", "--case", "notes-chat"]);
    expect(cells).toHaveLength(3);
    const failed = cells.filter((c) => c.status === "failed");
    expect(failed.length).toBeGreaterThanOrEqual(1);
    for (const c of failed) expect(c.error).toMatch(/^reply count: expected 1, got \d+/);
  } finally {
    rmSync(shared, { force: true });
  }
}, 300_000);
