import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

// Cells run concurrently (each is mostly waiting on a peer); how many at once is a matrix setting.
const { concurrency } = JSON.parse(readFileSync(new URL("./fixtures/matrix.json", import.meta.url), "utf8"));

export default defineConfig({
  test: {
    include: ["interop/**/*.test.ts", "ts-server/**/*.test.ts", "ts-client/**/*.test.ts", "scripts/**/*.test.ts"],
    maxConcurrency: concurrency,
    // One test file at a time: the matrix, the mutants and the lifecycle tests all start peers,
    // and their timing checks must not compete for the same 2 cores.
    fileParallelism: false,
    pool: "forks",
    reporters: ["default", "./interop/report/vitest-reporter.ts"],
  },
});
