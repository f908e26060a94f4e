// Loaded with `node --import tsx --import <this file>` by another build of the TS peers (npm run
// compat): the TS server imports ../gen/ts/*.js statically, and this resolve hook sends those
// imports to $INTEROP_GEN_TS instead, so the same server source runs on code generated from
// other protos. Plain .mjs because it runs in the loader thread, before any TS is compiled.
// The specifier is rewritten before resolving, so tsx then maps x.js to x.ts in the new place.
import { register } from "node:module";
import { pathToFileURL } from "node:url";
import { isMainThread } from "node:worker_threads";

const FROM = new URL("../../gen/ts/", import.meta.url).href;
const TO = process.env.INTEROP_GEN_TS ? pathToFileURL(process.env.INTEROP_GEN_TS).href.replace(/\/?$/, "/") : undefined;

if (isMainThread && TO) register(import.meta.url);

export async function resolve(specifier, context, nextResolve) {
  const relative = specifier.startsWith(".") && context.parentURL;
  const target = relative ? new URL(specifier, context.parentURL).href : specifier;
  if (TO && target.startsWith(FROM)) return nextResolve(TO + target.slice(FROM.length), context);
  return nextResolve(specifier, context);
}
