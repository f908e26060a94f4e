"""python-stub: a stub server on grpc.server with a thread pool (README: Any contract).

Serves every service of the descriptor set through one generic handler, answering as the stub
block named by each call's "x-interop-stub" header says; health, reflection and
interop.InteropTest/GetCallReport are real. Same flags and ready lines as server.py, plus
--stubs FILE and --descriptor-set PATH.
"""

import logging
import sys
from concurrent import futures

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from call_log import RpcEnd
from interop_rules import CANCEL_SETTLE_SECONDS
from peer_common import exit_when_stdin_closes
from server_setup import SERVER_OPTIONS, announce, bind_ports, enable_reflection, parse_flags
from stub_core import Undecodable, add_stub_flags, core_from_flags

# As in server.py: handlers block a worker for the whole call (delays, open streams, a report
# waiting for another call to end), so a few slow calls must not starve the rest.
MAX_WORKERS = 64


class _Call(RpcEnd):
    """One stubbed call: its answer, its record, and its end (RpcEnd: the handler's return and gRPC's)."""

    def __init__(self, core, context, response_class):
        self.core = core
        self.response_class = response_class
        self.answer = core.answer_for(context.invocation_metadata(), response_class)
        self.block = self.answer.block
        self.record = core.start_record(context)
        self._headers_sent = False
        super().__init__(context, core.log, self.record)

    def received(self, request):
        failure = self.core.record_request(self.record, request)
        if failure:
            self.context.abort(*failure)

    def requests_ended(self):
        """A stream's end may be a cancellation still on its way: a recorded call waits for it."""
        if self.record:
            self.ended.wait(CANCEL_SETTLE_SECONDS)

    def sleep(self, seconds):
        """True when the RPC ended meanwhile."""
        return self.ended.wait(seconds) if seconds > 0 else self.ended.is_set()

    def fail_if_asked(self):
        if self.answer.failure:
            self.context.abort(*self.answer.failure)

    def open(self):
        """delayMs, then the headers. True when the RPC ended meanwhile."""
        if self._headers_sent:
            return self.ended.is_set()
        if self.sleep(self.block.delay_s):
            return True
        self._headers_sent = True
        if self.block.headers:
            self.context.send_initial_metadata(self.block.headers)
        return False

    def close(self):
        """Trailers (with grpc-status-details-bin), then the status: abort ends a non-OK call
        without a message, in every pattern."""
        self.open()
        if self.block.trailers:
            self.context.set_trailing_metadata(self.block.trailers)
        if not self.block.ok:
            self.context.abort(self.block.code, self.block.message)

    def single(self):
        """The one response of a unary or client-stream call."""
        self.fail_if_asked()
        if self.block is None or self.open():
            return self.response_class()
        self.close()
        return self.answer.responses[0] if self.answer.responses else self.response_class()

    def paced(self, responses):
        """Responses one after another, responseIntervalMs apart."""
        for i, response in enumerate(responses):
            if i and self.sleep(self.block.interval_s):
                return
            yield response


class SyncBehaviours:
    def __init__(self, core):
        self.core = core

    def report(self, request, context):
        if isinstance(request, Undecodable):
            context.abort(*request.failure)
        return self.core.log.report(request.tag, request.wait_ms)

    def for_pattern(self, pattern, response_class):
        core = self.core

        def unary(request, context):
            with _Call(core, context, response_class) as call:
                call.received(request)
                return call.single()

        def client_stream(request_iterator, context):
            with _Call(core, context, response_class) as call:
                for request in request_iterator:
                    call.received(request)
                call.requests_ended()
                return call.single()

        def server_stream(request, context):
            with _Call(core, context, response_class) as call:
                call.received(request)
                call.fail_if_asked()
                if call.block is None or call.open():
                    return
                yield from call.paced(call.answer.responses)
                call.close()

        def bidi(request_iterator, context):
            with _Call(core, context, response_class) as call:
                call.fail_if_asked()
                responses, sent = call.answer.responses, 0
                ping_pong = call.block is not None and call.block.bidi == "ping-pong"
                for request in request_iterator:
                    call.received(request)
                    if ping_pong and sent < len(responses):
                        if call.open():
                            return
                        yield responses[sent]  # response i right after request i
                        sent += 1
                call.requests_ended()
                if call.block is None or call.open():
                    return
                yield from call.paced(responses[sent:])
                call.close()

        return {(False, False): unary, (True, False): client_stream, (False, True): server_stream,
                (True, True): bidi}[pattern]


def build_server(core):
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=MAX_WORKERS), options=SERVER_OPTIONS)
    health_servicer = health.HealthServicer()
    for name in core.health_names():
        health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    enable_reflection(server, core.reflected_names(), core.contract.pool)
    server.add_generic_rpc_handlers((core.generic_handler(SyncBehaviours(core)),))
    return server


def main():
    args = parse_flags("Python stub gRPC server (grpc.server, thread pool)", add_stub_flags)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    core = core_from_flags(args, "python-stub")
    server = build_server(core)
    ready_lines = bind_ports(server, args)
    server.start()
    if args.watch_stdin:
        exit_when_stdin_closes(lambda: server.stop(grace=None))
    logging.info("Stub started with %d case(s): %s", len(core.blocks), "; ".join(ready_lines))
    announce(ready_lines)
    server.wait_for_termination()


if __name__ == "__main__":
    main()
