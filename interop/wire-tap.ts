// A recording h2c proxy in front of a server, for the cases whose verdict depends on what is on
// the wire and that no gRPC library shows: the grpc-encoding headers each way and every message's
// compressed flag (the first byte of gRPC's 5-byte message prefix). grpc-js strips grpc-encoding
// from handler metadata, grpc-go and grpcio consume it in their transports, and no client API
// says whether a response arrived compressed: so the harness reads the frames itself.
//
// It forwards each stream as it is (headers, DATA, trailers, resets both ways) and records the
// calls that carry "x-interop-tag"; the session copies a tagged call's record into the cell's
// CallReport (request_encoding, request_compressed, response_encoding, response_compressed).
// Only cases with "transport": "tap" go through it: Node's http2 joins repeated header fields,
// so metadata cases must not.
import http2, { type ClientHttp2Session, type IncomingHttpHeaders, type OutgoingHttpHeaders, type ServerHttp2Stream } from "node:http2";
import type { AddressInfo } from "node:net";

export interface WireRecord {
  requestEncoding: string;
  requestCompressed: boolean[];
  responseEncoding: string;
  responseCompressed: boolean[];
}

/** Reads gRPC length-prefixed messages from a byte stream and reports each one's compressed flag. */
export class MessageFlags {
  private pending: Buffer = Buffer.alloc(0);
  constructor(private readonly onMessage: (compressed: boolean) => void) {}

  push(chunk: Buffer) {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 5) {
      const length = this.pending.readUInt32BE(1);
      if (this.pending.length < 5 + length) return;
      this.onMessage(this.pending[0] === 1);
      this.pending = this.pending.subarray(5 + length);
    }
  }
}

const MAX_RECORDS = 10_000;

/** Headers to pass on: strings only, no pseudo-headers but the allowed ones. */
function forwardable(headers: IncomingHttpHeaders, pseudo: string[]): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && (!k.startsWith(":") || pseudo.includes(k))) out[k] = v;
  return out;
}

const text = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(",") : (v ?? ""));

export class WireTap {
  private readonly records = new Map<string, WireRecord>();
  private upstreamSession?: ClientHttp2Session;
  private readonly sessions = new Set<http2.ServerHttp2Session>();

  private constructor(
    private readonly server: http2.Http2Server,
    readonly address: string,
    private readonly upstream: string,
  ) {}

  /** Starts a tap on 127.0.0.1 (a free port) that forwards to upstream (host:port, h2c). */
  static async start(upstream: string): Promise<WireTap> {
    const server = http2.createServer();
    await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", () => resolve()));
    const tap = new WireTap(server, `127.0.0.1:${(server.address() as AddressInfo).port}`, upstream);
    server.on("stream", (stream, headers) => tap.forward(stream, headers));
    server.on("session", (session) => {
      tap.sessions.add(session);
      session.on("close", () => tap.sessions.delete(session));
    });
    return tap;
  }

  /** What went over the wire for the call tagged `tag`, if it went through this tap. */
  record(tag: string): WireRecord | undefined {
    const r = this.records.get(tag);
    return r && { ...r, requestCompressed: [...r.requestCompressed], responseCompressed: [...r.responseCompressed] };
  }

  private session(): ClientHttp2Session {
    if (!this.upstreamSession || this.upstreamSession.closed || this.upstreamSession.destroyed) {
      const session = http2.connect(`http://${this.upstream}`);
      session.on("error", () => session.destroy());
      this.upstreamSession = session;
    }
    return this.upstreamSession;
  }

  private forward(down: ServerHttp2Stream, headers: IncomingHttpHeaders) {
    const rec: WireRecord = { requestEncoding: text(headers["grpc-encoding"]), requestCompressed: [], responseEncoding: "", responseCompressed: [] };
    const tag = text(headers["x-interop-tag"]);
    if (tag) {
      if (this.records.size >= MAX_RECORDS) this.records.delete(this.records.keys().next().value!);
      this.records.set(tag, rec);
    }
    let up: http2.ClientHttp2Stream;
    try {
      up = this.session().request(forwardable(headers, [":method", ":path", ":authority", ":scheme"]));
    } catch {
      return down.close(http2.constants.NGHTTP2_REFUSED_STREAM);
    }
    const requests = new MessageFlags((c) => rec.requestCompressed.push(c));
    const responses = new MessageFlags((c) => rec.responseCompressed.push(c));
    let trailers: IncomingHttpHeaders = {};

    down.on("data", (chunk: Buffer) => {
      requests.push(chunk);
      if (!up.write(chunk)) {
        down.pause();
        up.once("drain", () => down.resume());
      }
    });
    down.on("end", () => up.end());
    up.on("response", (h) => {
      rec.responseEncoding = text(h["grpc-encoding"]);
      if (down.destroyed) return;
      // Trailers-only: the status is in the only HEADERS frame.
      const trailersOnly = h["grpc-status"] !== undefined;
      down.respond(forwardable(h, [":status"]), trailersOnly ? { endStream: true } : { waitForTrailers: true });
    });
    up.on("data", (chunk: Buffer) => {
      responses.push(chunk);
      if (!down.destroyed && !down.write(chunk)) {
        up.pause();
        down.once("drain", () => up.resume());
      }
    });
    up.on("trailers", (t) => (trailers = t));
    down.on("wantTrailers", () => down.sendTrailers(forwardable(trailers, [])));
    up.on("end", () => {
      if (!down.destroyed && down.headersSent && !down.endAfterHeaders) down.end();
    });
    // A reset on either side is passed on to the other (cancellation, deadlines).
    up.on("close", () => {
      if (!down.destroyed && !down.closed && up.rstCode !== undefined && up.rstCode !== http2.constants.NGHTTP2_NO_ERROR) down.close(up.rstCode);
    });
    down.on("close", () => {
      if (!up.destroyed && !up.closed) up.close(down.rstCode ?? http2.constants.NGHTTP2_CANCEL);
    });
    up.on("error", () => undefined);
    down.on("error", () => undefined);
  }

  async close(): Promise<void> {
    this.upstreamSession?.destroy();
    for (const s of this.sessions) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
