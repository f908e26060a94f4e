// `npm run gen`: the one codegen command. Regenerates TypeScript, Go and Python from proto/,
// whether or not the protos changed (runs also do this, but only when they did).
import { checkToolchains, ensureGoPlugins, ensureVenv, generate, main } from "./prepare.js";

await main(async () => {
  await checkToolchains();
  await ensureVenv();
  await ensureGoPlugins();
  await generate(true);
  console.error("gen: wrote gen/ts, gen/go, gen/python");
});
