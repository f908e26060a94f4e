// Checks that rest on the client's own recorded send times, so each cause is named where it lies:
// a client that sends everything at once (or drops a request) is reported as a client problem,
// and only a client that paced its requests as asked can show that a server held its replies.
import type { Observation } from "./contract.js";
import type { CaseDef } from "./fixtures.js";

const ms = (n: number) => `${n.toFixed(1)} ms`;

/** How many requests the case asks the client to send (streams: every listed one, or repeatRequests). */
export const requestsToSend = (c: CaseDef) => (c.repeatRequests && c.requests.length ? c.repeatRequests : c.requests.length);

/**
 * The client's side of the case: it sent every request (when the call ended OK and was not
 * cancelled), pausing sendIntervalMs after each one, before the next and before the half-close.
 * A gap under half the interval cannot be a late timer (timers fire late, never early).
 * Returns the client problems found; an empty list means the client did as the case asked.
 */
export function clientSendProblems(c: CaseDef, obs: Observation): string[] {
  if (c.concurrentCalls) return []; // concurrent calls are sent at once by design
  const out: string[] = [];
  const cancels = c.cancelAfterMs !== undefined || c.cancelAfterResponses !== undefined;
  const want = requestsToSend(c);
  if (!cancels && obs.status.code === 0 && obs.halfCloseAtMs !== null && obs.sent.length < want) {
    out.push(`client: sent ${obs.sent.length} of the case's ${want} requests before it half-closed (a client that drops requests, or a call the server ended early)`);
  }
  const interval = c.sendIntervalMs ?? 0;
  if (interval > 0) {
    const times = obs.sent.map((e) => e.atMs);
    // sendOnReply: a shorter pause is what the case asks for once the replies to every request
    // before have arrived (a reply stamped after the send cannot have ended the pause).
    const replied = (count: number, at: number) => Boolean(c.sendOnReply) && obs.responses.filter((r) => r.atMs <= at).length >= count;
    const expected = (i: number) => `expected a pause of ${interval} ms (sendIntervalMs)${c.sendOnReply ? `, or reply[${i}] before it (sendOnReply)` : ""}`;
    for (let i = 1; i < times.length; i++) {
      if (times[i] - times[i - 1] < interval / 2 && !replied(i, times[i])) {
        out.push(`client: sent request[${i}] ${ms(times[i] - times[i - 1])} after request[${i - 1}], ${expected(i - 1)}: the client did not wait between sends`);
        break;
      }
    }
    const last = times[times.length - 1];
    if (out.length === 0 && obs.halfCloseAtMs !== null && last !== undefined && obs.halfCloseAtMs - last < interval / 2 && !replied(times.length, obs.halfCloseAtMs)) {
      out.push(`client: half-closed ${ms(obs.halfCloseAtMs - last)} after its last request, ${expected(times.length - 1)}: the client did not wait before half-closing`);
    }
  }
  return out;
}

/**
 * Interleaving, judged only on a client that paced its requests (else the client is to blame,
 * and clientSendProblems says so). replyBeforeHalfClose: the first reply arrives before the
 * half-close. pingPong: EVERY reply i arrives before the client sends request i+1 (the last one
 * before the half-close), so a server one reply behind, or holding replies, is caught.
 */
export function interleavingProblems(c: CaseDef, obs: Observation, clientProblems: string[]): string[] {
  if (c.expect.repliesAfterHalfClose) return halfDuplexProblems(obs);
  const { replyBeforeHalfClose, pingPong } = c.expect;
  if (!replyBeforeHalfClose && !pingPong) return [];
  if (obs.responses.length === 0) return []; // the reply count check names this
  if (obs.halfCloseAtMs === null) return ["interleaving: expected the client to half-close, but it never did"];
  if (clientProblems.length > 0) {
    return ["interleaving: not judged: the client did not send its requests as the case asks (see the client: line), so the server's timing cannot be told"];
  }
  const out: string[] = [];
  const firstReply = obs.responses[0].atMs;
  if (replyBeforeHalfClose && !(firstReply < obs.halfCloseAtMs)) {
    out.push(
      `interleaving: expected the first reply before the client half-closed at ${ms(obs.halfCloseAtMs)}, ` +
        `got it at ${ms(firstReply)}: the server held its replies until the end of the requests`,
    );
  }
  if (pingPong) {
    const late: string[] = [];
    obs.responses.forEach((reply, i) => {
      const next = obs.sent[i + 1]?.atMs ?? obs.halfCloseAtMs!;
      const what = obs.sent[i + 1] ? `sent request[${i + 1}] at ${ms(next)}` : `half-closed at ${ms(next)}`;
      if (i < obs.sent.length && !(reply.atMs < next)) late.push(`reply[${i}] arrived at ${ms(reply.atMs)}, after the client ${what}`);
    });
    if (late.length) {
      const more = late.length > 1 ? ` (and ${late.length - 1} more late repl${late.length > 2 ? "ies" : "y"})` : "";
      out.push(`ping-pong: expected each reply before the client's next request: ${late[0]}${more}: the server held its replies or answered one behind`);
    }
  }
  return out;
}

/** Half-duplex: no reply may arrive before the client half-closed. */
function halfDuplexProblems(obs: Observation): string[] {
  if (obs.responses.length === 0) return []; // the reply count check names this
  if (obs.halfCloseAtMs === null) return ["half-duplex: expected the client to half-close, but it never did"];
  const early = obs.responses.findIndex((r) => r.atMs < obs.halfCloseAtMs!);
  if (early < 0) return [];
  return [`half-duplex: expected every reply after the client half-closed at ${ms(obs.halfCloseAtMs)}, got reply[${early}] at ${ms(obs.responses[early].atMs)}: the server did not hold its replies`];
}
