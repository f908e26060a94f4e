"""Python reference server on grpc.aio ("python-aio"): the same services, flags and ready lines
as server.py, with async handlers on one event loop instead of a thread pool.

Prints "LISTENING-TLS host:port" and "LISTENING-MTLS host:port" when asked for TLS, then
"LISTENING host:port" (plaintext): the harness waits for that last line.
"""

import asyncio
import logging
import sys

from grpc import aio
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from aio_greeter_servicer import AioGreeterServicer
from aio_interop_servicer import AioInteropServicer
from aio_user_servicer import AioUserServicer
from auth import AioAuthInterceptor
from call_log import CallLog
from grpc_testing_service import add_test_service
from greeter_servicer import greeter_pb2_grpc
from interop_servicer import interop_test_pb2_grpc
from server_setup import HEALTH_SERVICES, SERVER_OPTIONS, enable_reflection, parse_flags, run_aio
from user_servicer import user_service_pb2_grpc
from user_store import UserStore


async def build_server(tick_seconds):
    server = aio.server(interceptors=[AioAuthInterceptor()], options=SERVER_OPTIONS)
    greeter_pb2_grpc.add_GreeterServicer_to_server(AioGreeterServicer(tick_seconds), server)
    interop_test_pb2_grpc.add_InteropTestServicer_to_server(AioInteropServicer(CallLog()), server)
    user_service_pb2_grpc.add_UserServiceServicer_to_server(AioUserServicer(UserStore()), server)
    add_test_service(server, aio=True)  # grpc's interop TestService, from the descriptor set
    health_servicer = health.aio.HealthServicer()
    for name in HEALTH_SERVICES:
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    enable_reflection(server)
    return server


async def serve(args):
    await run_aio(await build_server(args.tick_ms / 1000), args, "Server started")


def main():
    args = parse_flags("Python reference gRPC server (grpc.aio)")
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    try:
        asyncio.run(serve(args))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
