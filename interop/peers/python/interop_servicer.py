"""interop.InteropTest on the sync server (grpc.server with a thread pool)."""

from call_log import CallLog, RpcEnd
import grpc

from interop_rules import (CANCEL_SETTLE_SECONDS, InputSummary, call_tag, check_echo, check_stream_input,
                           check_stream_output, check_wait_ms,
                           echo_metadata, echo_response, failure_trailers, interop_test_pb2, requested_failure, requested_status,
                           stream_output_response)
from peer_common import import_generated

interop_test_pb2_grpc = import_generated("interop_test_pb2_grpc")


class _Call(RpcEnd):
    """One InteropTest call: its metadata echo, its entry in the call log, and its end (RpcEnd)."""

    def __init__(self, context, call_log: CallLog, recorded=True):
        metadata = context.invocation_metadata()
        self._initial, self._trailing = echo_metadata(metadata)
        self._headers_sent = False
        tag = call_tag(metadata) if recorded else None
        if self._trailing:
            context.set_trailing_metadata(self._trailing)
        super().__init__(context, call_log, call_log.start(tag, context.time_remaining()) if tag else None)

    def requests_ended(self):
        """The request stream ended: half-close, or a cancellation still on its way."""
        if self._record:
            self.ended.wait(CANCEL_SETTLE_SECONDS)

    def sleep(self, ms):
        """Sleep ms, stopping early when the RPC ends. True when the RPC has ended."""
        return self.ended.wait(ms / 1000) if ms > 0 else self.ended.is_set()

    def send_headers(self):
        if not self._headers_sent and not self.ended.is_set():
            self._headers_sent = True
            self.context.send_initial_metadata(self._initial)

    def fail(self, request, failure):
        """End the call with the (code, message) a request asked for (raises)."""
        self.context.set_trailing_metadata(failure_trailers(self._trailing, request, failure))
        self.context.abort(*failure)

    def check(self, failure):
        """Ends the call with the rule's INVALID_ARGUMENT when the request breaks a rule."""
        if failure:
            self.context.abort(*failure)

    def compress(self, on):
        """gzip this call's responses (EchoRequest.compress_response)."""
        if on:
            self.context.set_compression(grpc.Compression.Gzip)

    def answer(self, request):
        """Echo's rule for one request: its response, or the requested failure.

        Without headers_first the failure is trailers-only (no headers were sent), so the
        x-initial- echo cannot be carried; with it, headers go first, then the status."""
        failure = requested_failure(request)
        if failure:
            if request.headers_first:
                self.send_headers()
            self.fail(request, failure)
        self.send_headers()
        return echo_response(request)


class InteropServicer(interop_test_pb2_grpc.InteropTestServicer):
    def __init__(self, call_log: CallLog):
        self.call_log = call_log

    def Echo(self, request, context):
        with _Call(context, self.call_log) as call:
            call.check(check_echo(request))
            call.compress(request.compress_response)
            if call.sleep(request.sleep_ms):
                return interop_test_pb2.EchoResponse()  # nobody is listening
            return call.answer(request)

    def StreamOutput(self, request, context):
        with _Call(context, self.call_log) as call:
            call.check(check_stream_output(request))
            call.compress(request.compress_response)
            if call.sleep(request.initial_delay_ms):
                return
            call.send_headers()
            for index in range(request.response_count):
                if index and call.sleep(request.interval_ms):
                    return
                yield stream_output_response(request, index)
            failure = requested_status(request)
            if failure:
                call.fail(request, failure)

    def StreamInput(self, request_iterator, context):
        with _Call(context, self.call_log) as call:
            summary = InputSummary()
            for request in request_iterator:
                if not check_stream_input(request) and call.sleep(request.sleep_ms):
                    return summary.message()  # nobody is listening
                failure = check_stream_input(request) or requested_status(request)
                if failure:
                    call.send_headers()
                    call.fail(request, failure)
                summary.add(request)
            call.requests_ended()
            call.send_headers()
            return summary.message()

    def FullDuplex(self, request_iterator, context):
        with _Call(context, self.call_log) as call:
            held = []  # half-duplex: replies kept until the half-close
            for request in request_iterator:
                if not check_echo(request) and call.sleep(request.sleep_ms):
                    return
                if held or request.hold_until_half_close:
                    held.append(call.answer(request))
                    continue
                yield call.answer(request)
            call.requests_ended()
            call.send_headers()
            yield from held

    def GetCallReport(self, request, context):
        # Not recorded itself: a report call must not replace the record it asks about.
        with _Call(context, self.call_log, recorded=False) as call:
            call.check(check_wait_ms(request))
            report = self.call_log.report(request.tag, request.wait_ms)
            call.send_headers()
            return report
