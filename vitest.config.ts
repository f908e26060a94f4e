import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["interop/**/*.test.ts", "conformance/**/*.test.ts", "ts-server/**/*.test.ts", "ts-client/**/*.test.ts", "scripts/**/*.test.ts"],
    // Matrix tests only await their batch's result; the batches themselves run `concurrency`
    // pairs at a time (interop/session.ts), so vitest may keep every cell in flight.
    maxConcurrency: 1000,
    // One test file at a time: the matrix, the mutants and the lifecycle tests all start peers,
    // and their timing checks must not compete for the same 2 cores.
    fileParallelism: false,
    pool: "forks",
    reporters: ["default", "./interop/report/vitest-reporter.ts"],
  },
});
