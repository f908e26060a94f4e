// npm run fuzz-cases: rewrites fixtures/cases/fuzz.json from proto/ (see interop/fuzz/cases.ts).
import { writeFileSync } from "node:fs";
import { FUZZ_FILE, fuzzFixture } from "../interop/fuzz/cases.js";

writeFileSync(FUZZ_FILE, fuzzFixture());
console.log(`wrote ${FUZZ_FILE}`);
