"""Python reference server: grpc.server with a thread pool, as guide 002 shows.

Prints "LISTENING <host:port>" on stdout once it accepts connections (the harness waits for
that line); --port 0 (the default) lets the kernel pick a free port.
"""

import argparse
import logging
import sys
from concurrent import futures

import grpc

from peer_common import exit_when_stdin_closes
from greeter_servicer import GreeterServicer, greeter_pb2_grpc


def main():
    parser = argparse.ArgumentParser(description="Python reference gRPC server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--tick-ms", type=int, default=500, help="pause after each GetStockPrice reply")
    parser.add_argument("--watch-stdin", action="store_true", help="exit when stdin closes")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")

    # so_reuseport off: a second server on a busy port must fail, not silently share it.
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=10), options=[("grpc.so_reuseport", 0)])
    greeter_pb2_grpc.add_GreeterServicer_to_server(GreeterServicer(args.tick_ms / 1000), server)
    address = f"{args.host}:{args.port}"
    try:
        port = server.add_insecure_port(address)
    except RuntimeError:
        port = 0
    if port == 0:
        print(f"python-server: port {args.port} on {args.host} is in use: stop what holds it or pass another --port (0 picks a free one)", file=sys.stderr)
        sys.exit(2)
    server.start()
    if args.watch_stdin:
        exit_when_stdin_closes(lambda: server.stop(grace=None))
    logging.info("Server started on %s:%d", args.host, port)
    print(f"LISTENING {args.host}:{port}", flush=True)
    server.wait_for_termination()


if __name__ == "__main__":
    main()
