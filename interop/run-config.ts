// How the CLI hands a run's choices to the vitest worker that runs the matrix: environment
// variables, which vitest's worker processes inherit. Without them (plain `npm test`) the
// whole matrix runs.
import { emptyFilters, type Filters } from "./plan.js";
import type { RuntimeChoice } from "./runtime/index.js";

export interface RunConfig {
  filters: Filters;
  runtime: RuntimeChoice;
}

export function runConfigToEnv(config: RunConfig): Record<string, string> {
  return { INTEROP_FILTERS: JSON.stringify(config.filters), INTEROP_RUNTIME: config.runtime };
}

export function runConfigFromEnv(env = process.env): RunConfig {
  return {
    filters: env.INTEROP_FILTERS ? { ...emptyFilters(), ...JSON.parse(env.INTEROP_FILTERS) } : emptyFilters(),
    runtime: (env.INTEROP_RUNTIME as RuntimeChoice) || "auto",
  };
}
