"""py-perf: the Python column of `npm run perf` (grpcio, the article's library).

Measures unary latency (concurrency 1 and 16, threads over one channel), server- and
client-streaming messages per second and ping-pong bidi round trips per second, each for
--budget-ms, and prints one JSON line (interop/perf/contract.ts). Every loop ends when its budget
is spent and every call has a deadline, so the run is bounded whatever the server does.
"""

import argparse
import json
import queue
import threading
import time

import grpc

from peer_common import import_generated

pb = import_generated("interop_test_pb2")
pb_grpc = import_generated("interop_test_pb2_grpc")


def per_sec(n, seconds):
    return {"messages": n, "perSec": n / seconds}


def unary(stub, payload, budget, workers):
    lat, errors, lock = [], [0], threading.Lock()
    start = time.monotonic()

    def loop():
        while time.monotonic() - start < budget:
            t = time.monotonic()
            try:
                stub.Echo(pb.EchoRequest(payload=payload), timeout=budget + 5)
                with lock:
                    lat.append((time.monotonic() - t) * 1000)
            except grpc.RpcError:
                with lock:
                    errors[0] += 1

    threads = [threading.Thread(target=loop) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    lat.sort()

    def at(q):
        return lat[int(q * (len(lat) - 1))] if lat else 0

    return {"calls": len(lat), "errors": errors[0], "p50": at(0.5), "p90": at(0.9), "p99": at(0.99), "perSec": len(lat) / elapsed}


def server_streaming(stub, payload, budget, batch):
    n, start = 0, time.monotonic()
    while time.monotonic() - start < budget:
        for _ in stub.StreamOutput(pb.StreamOutputRequest(response_count=batch, response_size=len(payload)), timeout=budget + 5):
            n += 1
    return per_sec(n, time.monotonic() - start)


def client_streaming(stub, payload, budget):
    sent, start = [0], time.monotonic()

    def requests():
        while time.monotonic() - start < budget:
            yield pb.EchoRequest(payload=payload, index=sent[0])
            sent[0] += 1

    summary = stub.StreamInput(requests(), timeout=budget + 5)
    elapsed = time.monotonic() - start
    # The server's count must match, or the figure would measure lost messages.
    if summary.count != sent[0]:
        raise RuntimeError(f"client streaming: sent {sent[0]} requests, the server counted {summary.count}")
    return per_sec(sent[0], elapsed)


def bidi(stub, payload, budget):
    outbox = queue.Queue()
    start = time.monotonic()

    def requests():
        while True:
            item = outbox.get()
            if item is None:
                return
            yield item

    replies = stub.FullDuplex(requests(), timeout=budget + 5)
    n = 0
    while time.monotonic() - start < budget:
        outbox.put(pb.EchoRequest(payload=payload, index=n))
        next(replies)
        n += 1
    elapsed = time.monotonic() - start
    outbox.put(None)
    for _ in replies:
        pass
    return per_sec(n, elapsed)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--addr", required=True)
    p.add_argument("--budget-ms", type=int, default=500)
    p.add_argument("--payload", type=int, default=256)
    p.add_argument("--stream-batch", type=int, default=1000)
    a = p.parse_args()
    budget, payload = a.budget_ms / 1000, bytes(a.payload)
    out = {}
    with grpc.insecure_channel(a.addr) as channel:
        stub = pb_grpc.InteropTestStub(channel)
        try:
            stub.Echo(pb.EchoRequest(payload=payload), timeout=5)  # connect first: not a call's latency
            out["unary"] = {"c1": unary(stub, payload, budget, 1), "c16": unary(stub, payload, budget, 16)}
            out["serverStreaming"] = server_streaming(stub, payload, budget, a.stream_batch)
            out["clientStreaming"] = client_streaming(stub, payload, budget)
            out["bidi"] = bidi(stub, payload, budget)
        except (grpc.RpcError, RuntimeError) as e:
            out["error"] = str(e)
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
