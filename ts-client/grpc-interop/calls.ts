// grpc-js calls on grpc.testing's services, as promises a test case can await: each resolves
// with what came back (responses, headers, trailers, status) and never rejects for a non-OK
// status, so a case asserts on the status like on any other field.
import { credentials, Metadata, type ChannelOptions, type Client, type ClientDuplexStream, type ServiceError, type StatusObject } from "@grpc/grpc-js";
import { grpcObjects } from "../../interop/descriptor-set.js";

export interface Outcome<T = any> {
  responses: T[];
  headers: Metadata;
  trailers: Metadata;
  code: number;
  details: string;
}

type Ctor = new (address: string, creds: ReturnType<typeof credentials.createInsecure>, options?: ChannelOptions) => Client;

/** Channels to one server: the TestService and UnimplementedService stubs. */
export class Channel {
  readonly test: Record<string, any>;
  readonly unimplemented: Record<string, any>;

  constructor(address: string, options: ChannelOptions = {}) {
    const testing = (grpcObjects().grpc as any)?.testing;
    if (!testing?.TestService) throw new Error("the descriptor set has no grpc.testing.TestService: rebuild it (npm run interop runs go-descset)");
    this.test = new (testing.TestService as Ctor)(address, credentials.createInsecure(), options) as any;
    this.unimplemented = new (testing.UnimplementedService as Ctor)(address, credentials.createInsecure(), options) as any;
  }

  close() {
    (this.test as Client).close();
    (this.unimplemented as Client).close();
  }
}

export interface CallOptions {
  metadata?: Metadata;
  deadline?: number;
}

/** Collects a call's headers and final status. */
function observe<T>(call: { on(e: string, l: (...a: any[]) => void): unknown }, outcome: Outcome<T>, done: () => void) {
  call.on("metadata", (md: Metadata) => (outcome.headers = md));
  call.on("status", (st: StatusObject) => {
    Object.assign(outcome, { code: st.code, details: st.details, trailers: st.metadata });
    done();
  });
}

const emptyOutcome = <T>(): Outcome<T> => ({ responses: [], headers: new Metadata(), trailers: new Metadata(), code: -1, details: "" });

export function unary<T = any>(stub: Record<string, any>, method: string, request: unknown, opts: CallOptions = {}): Promise<Outcome<T>> {
  return new Promise((resolve) => {
    const outcome = emptyOutcome<T>();
    let settled = 0; // the callback and the status event, in either order
    const done = () => ++settled === 2 && resolve(outcome);
    const call = stub[method](request, opts.metadata ?? new Metadata(), { deadline: opts.deadline }, (err: ServiceError | null, res: T) => {
      if (!err) outcome.responses.push(res);
      done();
    });
    observe(call, outcome, done);
  });
}

/** Client streaming: writes each request (with its write flags), half-closes, awaits the end. */
export function clientStream<T = any>(stub: Record<string, any>, method: string, requests: { message: unknown; flags?: number }[], opts: CallOptions = {}): Promise<Outcome<T>> {
  return new Promise((resolve) => {
    const outcome = emptyOutcome<T>();
    let settled = 0;
    const done = () => ++settled === 2 && resolve(outcome);
    const call = stub[method](opts.metadata ?? new Metadata(), { deadline: opts.deadline }, (err: ServiceError | null, res: T) => {
      if (!err) outcome.responses.push(res);
      done();
    });
    observe(call, outcome, done);
    // grpc-js takes write flags (e.g. NoCompress) in write()'s encoding argument.
    for (const r of requests) call.write(r.message, r.flags);
    call.end();
  });
}

/** Client streaming, cancelled right after it starts (headers sent, no message). */
export function cancelledClientStream<T = any>(stub: Record<string, any>, method: string): Promise<Outcome<T>> {
  return new Promise((resolve) => {
    const outcome = emptyOutcome<T>();
    let settled = 0;
    const done = () => ++settled === 2 && resolve(outcome);
    const call = stub[method](new Metadata(), {}, (err: ServiceError | null, res: T) => {
      if (!err) outcome.responses.push(res);
      done();
    });
    observe(call, outcome, done);
    call.cancel();
  });
}

export function serverStream<T = any>(stub: Record<string, any>, method: string, request: unknown, opts: CallOptions = {}): Promise<Outcome<T>> {
  return new Promise((resolve) => {
    const outcome = emptyOutcome<T>();
    const call = stub[method](request, opts.metadata ?? new Metadata(), { deadline: opts.deadline });
    call.on("data", (m: T) => outcome.responses.push(m));
    call.on("error", () => {});
    observe(call, outcome, () => resolve(outcome));
  });
}

/** A bidi call driven step by step: send, await the next response, half-close, await the end. */
export class Duplex<T = any> {
  readonly outcome = emptyOutcome<T>();
  readonly ended: Promise<Outcome<T>>;
  readonly call: ClientDuplexStream<unknown, T>;
  private readonly queued: T[] = [];
  private waiting?: (m: T | undefined) => void;
  private finished = false;

  constructor(stub: Record<string, any>, method: string, opts: CallOptions = {}) {
    this.call = stub[method](opts.metadata ?? new Metadata(), { deadline: opts.deadline });
    this.call.on("data", (m: T) => {
      this.outcome.responses.push(m);
      if (this.waiting) this.waiting(m);
      else this.queued.push(m);
      this.waiting = undefined;
    });
    this.call.on("error", () => {});
    this.ended = new Promise((resolve) =>
      observe(this.call, this.outcome, () => {
        this.finished = true;
        this.waiting?.(undefined);
        resolve(this.outcome);
      }),
    );
  }

  send(message: unknown) {
    this.call.write(message);
  }

  /** The next response, or undefined if the call ended first. */
  next(): Promise<T | undefined> {
    if (this.queued.length) return Promise.resolve(this.queued.shift());
    if (this.finished) return Promise.resolve(undefined);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  halfClose(): Promise<Outcome<T>> {
    this.call.end();
    return this.ended;
  }
}
