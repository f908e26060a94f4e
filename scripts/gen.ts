// `npm run gen`: the one codegen command. Regenerates TypeScript, Go and Python from proto/,
// whether or not the protos changed (runs also do this, but only when they did).
import { generateConformanceTs } from "../conformance/build.js";
import { checkToolchains, ensureGoPlugins, ensureVenv, generate, main } from "./prepare.js";

await main(async () => {
  await checkToolchains();
  await ensureVenv();
  await ensureGoPlugins();
  await generate(true);
  await generateConformanceTs(true);
  console.error("gen: wrote gen/ts, gen/go, gen/python and .build/conformance/gen (the conformance suite's protos, for npm run conformance)");
});
