"""Python reference server: grpc.server with a thread pool, as guide 002 shows.

Serves the article's Greeter, interop.InteropTest, guide 002's UserService (behind its auth
interceptor), health checking and reflection. Prints "LISTENING-TLS host:port" and
"LISTENING-MTLS host:port" when asked for TLS, then "LISTENING host:port" (plaintext) once it
accepts connections: the harness waits for that last line. Port 0 (the default) picks a free port.
"""

import logging
import sys
from concurrent import futures

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from auth import AuthInterceptor
from call_log import CallLog
from grpc_testing_service import add_test_service
from greeter_servicer import GreeterServicer, greeter_pb2_grpc
from interop_servicer import InteropServicer, interop_test_pb2_grpc
from peer_common import exit_when_stdin_closes
from server_setup import HEALTH_SERVICES, SERVER_OPTIONS, announce, bind_ports, enable_reflection, parse_flags
from user_servicer import UserServicer, user_service_pb2_grpc
from user_store import UserStore

# Handlers block a worker for the whole call (sleeps, open streams, GetCallReport waiting for
# another call), so the pool is larger than the guide's 10: a few slow calls must not starve
# the rest, e.g. the report call that waits for a cancelled stream to end.
MAX_WORKERS = 64


def build_server(tick_seconds):
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=MAX_WORKERS),
                         interceptors=[AuthInterceptor()], options=SERVER_OPTIONS)
    greeter_pb2_grpc.add_GreeterServicer_to_server(GreeterServicer(tick_seconds), server)
    interop_test_pb2_grpc.add_InteropTestServicer_to_server(InteropServicer(CallLog()), server)
    user_service_pb2_grpc.add_UserServiceServicer_to_server(UserServicer(UserStore()), server)
    add_test_service(server)  # grpc's interop TestService, from the descriptor set
    health_servicer = health.HealthServicer()
    for name in HEALTH_SERVICES:
        health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    enable_reflection(server)
    return server


def main():
    args = parse_flags("Python reference gRPC server (grpc.server, thread pool)")
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    server = build_server(args.tick_ms / 1000)
    ready_lines = bind_ports(server, args)
    server.start()
    if args.watch_stdin:
        exit_when_stdin_closes(lambda: server.stop(grace=None))
    logging.info("Server started: %s", "; ".join(ready_lines))
    announce(ready_lines)
    server.wait_for_termination()


if __name__ == "__main__":
    main()
