// A stand-in build: command: writes {out}/built.json naming the {protos} it was given; "fail" as
// the third argument makes it fail with one stderr line.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [protos, out, mode] = process.argv.slice(2);
if (mode === "fail") {
  console.error("protoc: acme/x.proto:3:1: syntax error");
  process.exit(1);
}
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "built.json"), JSON.stringify({ protos, at: Date.now() }));
