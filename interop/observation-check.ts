// Is a driver's line an Observation (interop/contract.ts) at all? A broken or lying client that
// prints the wrong shape fails its cell saying what is off, instead of crashing the judge or
// slipping through as "[object Object]" in a difference line.
const show = (v: unknown) => JSON.stringify(v) ?? String(v);
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function checkEvents(name: string, events: unknown, out: string[]) {
  if (!Array.isArray(events)) return void out.push(`${name} is ${show(events)} (expected an array of events)`);
  events.forEach((e, i) => {
    if (typeof e !== "object" || e === null || !isNum((e as { atMs?: unknown }).atMs)) out.push(`${name}[${i}].atMs is ${show((e as { atMs?: unknown })?.atMs)} (expected a number of ms)`);
  });
}

function checkMetadata(name: string, md: unknown, out: string[]) {
  if (typeof md !== "object" || md === null || Array.isArray(md)) return void out.push(`${name} is ${show(md)} (expected an object of string lists)`);
  for (const [k, v] of Object.entries(md)) {
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) out.push(`${name}["${k}"] is ${show(v)} (expected a list of strings)`);
  }
}

/** What does not fit the contract; an empty list means the judge can read it. */
export function observationProblems(obs: unknown): string[] {
  if (typeof obs !== "object" || obs === null || Array.isArray(obs)) return [`the line is ${show(obs)} (expected an object)`];
  const o = obs as Record<string, unknown>;
  // A driver that could not perform the case says why in "error" (README: Any contract): a string, and then the rest may be empty.
  if (o.error !== undefined) return typeof o.error === "string" ? [] : [`error is ${show(o.error)} (expected a string saying what is wrong)`];
  const out: string[] = [];
  const status = o.status as { code?: unknown; message?: unknown } | undefined;
  if (typeof status !== "object" || status === null) out.push(`status is ${show(status)} (expected { code, message })`);
  else {
    if (!Number.isInteger(status.code) || (status.code as number) < 0) out.push(`status.code is ${show(status.code)} (expected a status code number)`);
    if (status.message !== undefined && typeof status.message !== "string") out.push(`status.message is ${show(status.message)} (expected a string)`);
  }
  checkEvents("sent", o.sent, out);
  checkEvents("responses", o.responses, out);
  if (o.halfCloseAtMs !== null && !isNum(o.halfCloseAtMs)) out.push(`halfCloseAtMs is ${show(o.halfCloseAtMs)} (expected a number or null)`);
  checkMetadata("headers", o.headers, out);
  checkMetadata("trailers", o.trailers, out);
  return out;
}
