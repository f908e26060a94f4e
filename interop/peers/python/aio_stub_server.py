"""python-aio-stub: the stub server on grpc.aio (README: Any contract): the same generic handler, stub blocks,
records, health and reflection as stub_server.py (stub_core.py), with coroutines on one event loop
instead of a thread per call. Same flags and ready lines as aio_server.py, plus --stubs FILE and
--descriptor-set PATH.
"""

import asyncio
import logging
import sys

from grpc import aio
from grpc._cython import cygrpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from interop_rules import CANCEL_SETTLE_SECONDS
from server_setup import SERVER_OPTIONS, enable_reflection, parse_flags, run_aio
from stub_core import Undecodable, add_stub_flags, core_from_flags

# How a handler learns its RPC died under it (as in aio_interop_servicer.py): gRPC cancels its task,
# closes an unfinished response generator, or fails a send on the dead call.
_CALL_DIED = (asyncio.CancelledError, GeneratorExit, cygrpc.ExecuteBatchError)


class _Call:
    def __init__(self, core, context, response_class):
        self.core = core
        self.context = context
        self.response_class = response_class
        self.answer = core.answer_for(context.invocation_metadata(), response_class)
        self.block = self.answer.block
        self.record = core.start_record(context)
        self._headers_sent = False
        if self.record:
            # aio runs done callbacks when the handler's task ends, cancelled or not.
            context.add_done_callback(lambda _: core.log.update(self.record, terminated=True))

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if self.record:
            if exc_type is not None and issubclass(exc_type, _CALL_DIED):
                self.core.log.update(self.record, cancelled=True)
            self.core.log.update(self.record, finished=True)
        return False

    async def received(self, request):
        failure = self.core.record_request(self.record, request)
        if failure:
            await self.context.abort(*failure)

    async def requests_ended(self):
        """A stream's end may be a cancellation still on its way (it then cancels this task)."""
        if self.record:
            await asyncio.sleep(CANCEL_SETTLE_SECONDS)

    async def fail_if_asked(self):
        if self.answer.failure:
            await self.context.abort(*self.answer.failure)

    async def open(self):
        """delayMs, then the headers (once)."""
        if self._headers_sent:
            return
        if self.block.delay_s > 0:
            await asyncio.sleep(self.block.delay_s)
        self._headers_sent = True
        if self.block.headers:
            await self.context.send_initial_metadata(self.block.headers)

    async def close(self):
        """Trailers (with grpc-status-details-bin), then the status; abort sends no message."""
        await self.open()
        if self.block.trailers:
            self.context.set_trailing_metadata(self.block.trailers)
        if not self.block.ok:
            await self.context.abort(self.block.code, self.block.message)

    async def single(self):
        await self.fail_if_asked()
        if self.block is None:
            return self.response_class()
        await self.open()
        await self.close()
        return self.answer.responses[0] if self.answer.responses else self.response_class()

    async def paced(self, responses):
        for i, response in enumerate(responses):
            if i and self.block.interval_s > 0:
                await asyncio.sleep(self.block.interval_s)
            yield response


class AioBehaviours:
    def __init__(self, core):
        self.core = core

    async def report(self, request, context):
        if isinstance(request, Undecodable):
            await context.abort(*request.failure)
        # The log waits on a threading.Condition: do that off the event loop.
        return await asyncio.to_thread(self.core.log.report, request.tag, request.wait_ms)

    def for_pattern(self, pattern, response_class):
        core = self.core

        async def unary(request, context):
            with _Call(core, context, response_class) as call:
                await call.received(request)
                return await call.single()

        async def client_stream(request_iterator, context):
            with _Call(core, context, response_class) as call:
                async for request in request_iterator:
                    await call.received(request)
                await call.requests_ended()
                return await call.single()

        async def server_stream(request, context):
            with _Call(core, context, response_class) as call:
                await call.received(request)
                await call.fail_if_asked()
                if call.block is None:
                    return
                await call.open()
                async for response in call.paced(call.answer.responses):
                    yield response
                await call.close()

        async def bidi(request_iterator, context):
            with _Call(core, context, response_class) as call:
                await call.fail_if_asked()
                responses, sent = call.answer.responses, 0
                ping_pong = call.block is not None and call.block.bidi == "ping-pong"
                async for request in request_iterator:
                    await call.received(request)
                    if ping_pong and sent < len(responses):
                        await call.open()
                        yield responses[sent]  # response i right after request i
                        sent += 1
                await call.requests_ended()
                if call.block is None:
                    return
                await call.open()
                async for response in call.paced(responses[sent:]):
                    yield response
                await call.close()

        return {(False, False): unary, (True, False): client_stream, (False, True): server_stream,
                (True, True): bidi}[pattern]


async def build_server(core):
    server = aio.server(options=SERVER_OPTIONS)
    health_servicer = health.aio.HealthServicer()
    for name in core.health_names():
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    enable_reflection(server, core.reflected_names(), core.contract.pool)
    server.add_generic_rpc_handlers((core.generic_handler(AioBehaviours(core)),))
    return server


async def serve(args, core):
    await run_aio(await build_server(core), args, f"Stub started with {len(core.blocks)} case(s)")


def main():
    args = parse_flags("Python stub gRPC server (grpc.aio)", add_stub_flags)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    core = core_from_flags(args, "python-aio-stub")
    try:
        asyncio.run(serve(args, core))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
