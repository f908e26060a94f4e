"""What the sync and the asyncio server share: flags, ports (plaintext, TLS, mTLS), the ready
lines the harness waits for, and the names of the services they serve.

grpc.server and grpc.aio.server have the same port API, so one function binds both.
"""

import argparse
import asyncio
import logging
import sys
from pathlib import Path

import grpc
from grpc import aio
from grpc_health.v1 import health
from grpc_reflection.v1alpha import reflection, reflection_pb2, reflection_pb2_grpc

from peer_common import exit_when_stdin_closes, import_generated

greeter_pb2 = import_generated("greeter_pb2")
interop_test_pb2 = import_generated("interop_test_pb2")
user_service_pb2 = import_generated("user_service_pb2")

APPLICATION_SERVICES = (
    greeter_pb2.DESCRIPTOR.services_by_name["Greeter"].full_name,
    interop_test_pb2.DESCRIPTOR.services_by_name["InteropTest"].full_name,
    user_service_pb2.DESCRIPTOR.services_by_name["UserService"].full_name,
)
# Health reports every application service and the overall server ("").
HEALTH_SERVICES = ("",) + APPLICATION_SERVICES + (health.SERVICE_NAME, reflection.SERVICE_NAME)
REFLECTED_SERVICES = APPLICATION_SERVICES + (health.SERVICE_NAME, reflection.SERVICE_NAME)

# so_reuseport off: a second server on a busy port must fail, not silently share it.
SERVER_OPTIONS = [("grpc.so_reuseport", 0)]


def parse_flags(description, add_flags=None):
    """add_flags(parser) adds a peer's own flags (the stubs' --stubs and --descriptor-set)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="plaintext port; 0 picks a free one")
    parser.add_argument("--tick-ms", type=int, default=500, help="pause after each GetStockPrice reply")
    parser.add_argument("--watch-stdin", action="store_true", help="exit when stdin closes")
    parser.add_argument("--tls-cert", help="server certificate (PEM): also listen with TLS")
    parser.add_argument("--tls-key", help="private key of --tls-cert (PEM)")
    parser.add_argument("--tls-client-ca", help="CA of client certificates: also listen with mTLS")
    parser.add_argument("--tls-port", type=int, default=0)
    parser.add_argument("--mtls-port", type=int, default=0)
    if add_flags:
        add_flags(parser)
    args = parser.parse_args()
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    if args.tls_client_ca and not args.tls_cert:
        parser.error("--tls-client-ca needs --tls-cert and --tls-key")
    return args


def _read(path, flag):
    try:
        return Path(path).read_bytes()
    except OSError as e:
        sys.exit(f"python-server: cannot read {flag} {path}: {e.strerror}")


def _bind(add_port, host, port, what, flag):
    try:
        bound = add_port(f"{host}:{port}")
    except RuntimeError:
        bound = 0
    if bound == 0:
        print(f"python-server: {what} port {port} on {host} is in use: stop what holds it or pass another {flag} (0 picks a free one)",
              file=sys.stderr)
        sys.exit(2)
    return bound


def bind_ports(server, args):
    """Adds every port the flags ask for; returns the ready lines, plaintext ("LISTENING") last,
    because the harness takes that line to mean the server is ready."""
    lines = []
    if args.tls_cert:
        pair = [(_read(args.tls_key, "--tls-key"), _read(args.tls_cert, "--tls-cert"))]
        tls = grpc.ssl_server_credentials(pair)
        port = _bind(lambda a: server.add_secure_port(a, tls), args.host, args.tls_port, "TLS", "--tls-port")
        lines.append(f"LISTENING-TLS {args.host}:{port}")
        if args.tls_client_ca:
            mtls = grpc.ssl_server_credentials(pair, root_certificates=_read(args.tls_client_ca, "--tls-client-ca"),
                                               require_client_auth=True)
            port = _bind(lambda a: server.add_secure_port(a, mtls), args.host, args.mtls_port, "mTLS", "--mtls-port")
            lines.append(f"LISTENING-MTLS {args.host}:{port}")
    port = _bind(server.add_insecure_port, args.host, args.port, "plaintext", "--port")
    lines.append(f"LISTENING {args.host}:{port}")
    return lines


def announce(lines):
    for line in lines:
        print(line, flush=True)


# grpcio-reflection only implements v1alpha, while current tools (grpcurl, grpc-js's reflection
# clients) ask for v1 first. The two protocols have the same messages under another package name,
# so the v1alpha servicer also answers on the v1 path. v1 is not listed: this server has no v1
# descriptors to describe it with.
REFLECTION_V1 = "grpc.reflection.v1.ServerReflection"


def enable_reflection(server, services=REFLECTED_SERVICES, pool=None):
    """pool: where descriptors are looked up (the stubs' descriptor set); default: generated code's."""
    make = reflection.aio.ReflectionServicer if isinstance(server, aio.Server) else reflection.ReflectionServicer
    servicer = make(services, pool=pool)
    reflection_pb2_grpc.add_ServerReflectionServicer_to_server(servicer, server)
    v1 = grpc.stream_stream_rpc_method_handler(
        servicer.ServerReflectionInfo,
        request_deserializer=reflection_pb2.ServerReflectionRequest.FromString,
        response_serializer=reflection_pb2.ServerReflectionResponse.SerializeToString)
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(REFLECTION_V1, {"ServerReflectionInfo": v1}),))


async def run_aio(server, args, started):
    """Binds, starts and runs a grpc.aio server until it terminates: with --watch-stdin it stops
    when the harness's pipe closes; `started` is logged with the ready lines before they are
    announced."""
    ready_lines = bind_ports(server, args)
    await server.start()
    if args.watch_stdin:
        loop = asyncio.get_running_loop()

        def stop():
            # Called from the watcher thread, which then exits the process whatever happens.
            try:
                asyncio.run_coroutine_threadsafe(server.stop(grace=None), loop).result(timeout=1)
            except Exception:
                pass

        exit_when_stdin_closes(stop)
    logging.info("%s: %s", started, "; ".join(ready_lines))
    announce(ready_lines)
    await server.wait_for_termination()
