"""interop.InteropTest on the grpc.aio server.

The same rules as interop_servicer.py (both build on interop_rules.py); here a cancelled or
timed-out RPC cancels the handler's task, so sleeps stop by themselves.
"""

import asyncio

from grpc._cython import cygrpc

from call_log import CallLog
import grpc

from interop_rules import (CANCEL_SETTLE_SECONDS, InputSummary, call_tag, check_echo, check_stream_input,
                           check_stream_output, check_wait_ms,
                           echo_metadata, echo_response, failure_trailers, requested_failure, requested_status,
                           stream_output_response)
from interop_servicer import interop_test_pb2_grpc

# How a handler learns that its RPC died under it: gRPC cancels the handler's task (client
# cancel, deadline), closes an unfinished response generator, or fails a send on the dead call.
# aio's context.cancelled() does not help: it only reflects a status the handler set itself.
_CALL_DIED = (asyncio.CancelledError, GeneratorExit, cygrpc.ExecuteBatchError)


class _Call:
    """One InteropTest call: its metadata echo, its entry in the call log, and its end."""

    def __init__(self, context, call_log: CallLog, recorded=True):
        self.context = context
        metadata = context.invocation_metadata()
        self._initial, self._trailing = echo_metadata(metadata)
        self._headers_sent = False
        self._log = call_log
        tag = call_tag(metadata) if recorded else None
        self._record = call_log.start(tag, context.time_remaining()) if tag else None
        if self._trailing:
            context.set_trailing_metadata(self._trailing)
        if self._record:
            context.add_done_callback(self._on_rpc_end)

    def _on_rpc_end(self, context):
        # aio runs done callbacks when the handler's task ends, cancelled or not.
        self._log.update(self._record, terminated=True)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._record:
            if exc_type is not None and issubclass(exc_type, _CALL_DIED):
                self._log.update(self._record, cancelled=True)
            self._log.update(self._record, finished=True)
        return False

    async def requests_ended(self):
        """The request stream ended: half-close, or a cancellation still on its way (which
        then cancels this task during the wait)."""
        if self._record:
            await asyncio.sleep(CANCEL_SETTLE_SECONDS)

    async def send_headers(self):
        if not self._headers_sent:
            self._headers_sent = True
            await self.context.send_initial_metadata(self._initial)

    async def fail(self, request, failure):
        """End the call with the (code, message) a request asked for, the x-trailing- echo kept."""
        await self.context.abort(*failure, trailing_metadata=failure_trailers(self._trailing, request, failure))

    async def check(self, failure):
        """Ends the call with the rule's INVALID_ARGUMENT when the request breaks a rule."""
        if failure:
            await self.context.abort(*failure, trailing_metadata=self._trailing)

    def compress(self, on):
        """gzip this call's responses (EchoRequest.compress_response)."""
        if on:
            self.context.set_compression(grpc.Compression.Gzip)

    async def answer(self, request):
        """Echo's rule for one request (see interop_servicer._Call.answer)."""
        failure = requested_failure(request)
        if failure:
            if request.headers_first:
                await self.send_headers()
            await self.fail(request, failure)
        await self.send_headers()
        return echo_response(request)


async def _sleep_ms(ms):
    if ms > 0:
        await asyncio.sleep(ms / 1000)


class AioInteropServicer(interop_test_pb2_grpc.InteropTestServicer):
    def __init__(self, call_log: CallLog):
        self.call_log = call_log

    async def Echo(self, request, context):
        with _Call(context, self.call_log) as call:
            await call.check(check_echo(request))
            call.compress(request.compress_response)
            await _sleep_ms(request.sleep_ms)
            return await call.answer(request)

    async def StreamOutput(self, request, context):
        with _Call(context, self.call_log) as call:
            await call.check(check_stream_output(request))
            call.compress(request.compress_response)
            await _sleep_ms(request.initial_delay_ms)
            await call.send_headers()
            for index in range(request.response_count):
                if index:
                    await _sleep_ms(request.interval_ms)
                yield stream_output_response(request, index)
            failure = requested_status(request)
            if failure:
                await call.fail(request, failure)

    async def StreamInput(self, request_iterator, context):
        with _Call(context, self.call_log) as call:
            summary = InputSummary()
            async for request in request_iterator:
                if not check_stream_input(request):
                    await _sleep_ms(request.sleep_ms)
                failure = check_stream_input(request) or requested_status(request)
                if failure:
                    await call.send_headers()
                    await call.fail(request, failure)
                summary.add(request)
            await call.requests_ended()
            await call.send_headers()
            return summary.message()

    async def FullDuplex(self, request_iterator, context):
        with _Call(context, self.call_log) as call:
            held = []  # half-duplex: replies kept until the half-close
            async for request in request_iterator:
                if not check_echo(request):
                    await _sleep_ms(request.sleep_ms)
                if held or request.hold_until_half_close:
                    held.append(await call.answer(request))
                    continue
                yield await call.answer(request)
            await call.requests_ended()
            await call.send_headers()
            for reply in held:
                yield reply

    async def GetCallReport(self, request, context):
        with _Call(context, self.call_log, recorded=False) as call:
            await call.check(check_wait_ms(request))
            # CallLog waits on a threading.Condition: do that off the event loop.
            report = await asyncio.to_thread(self.call_log.report, request.tag, request.wait_ms)
            await call.send_headers()
            return report
