"""grpc.testing.TestService for the Python reference servers (grpc.server and grpc.aio), the server
side of grpc's interop test cases (grpc/grpc doc/interop-test-descriptions.md, "Server").

No generated code and no .proto copy: the message types come from the contract's descriptor set
(grpc-go's registration, written by go-descset), through descriptor_set.py. Served: payloads of the
requested sizes (COMPRESSABLE only, else INVALID_ARGUMENT), ResponseParameters.interval_us, Echo
Status, Echo Metadata, and CompressedResponse (grpcio can compress a response, and leave one
message of a stream uncompressed). Not served: CompressedRequest, since grpcio shows a handler
neither grpc-encoding nor a message's compressed flag; expect_compressed is ignored, as grpc-go's
TestServer does. UnimplementedCall and grpc.testing.UnimplementedService answer UNIMPLEMENTED
(nothing registered for them).
"""

import asyncio
import sys
import time

import grpc

import descriptor_set

SERVICE = "grpc.testing.TestService"
ECHO_INITIAL = "x-grpc-test-echo-initial"
ECHO_TRAILING = "x-grpc-test-echo-trailing-bin"
COMPRESSABLE = 0
_CODES = {code.value[0]: code for code in grpc.StatusCode}


def _message_classes():
    """The grpc.testing message classes, or None (said on stderr) when the set cannot be read."""
    try:
        contract = descriptor_set.load()
        return {n: contract.message_class(f"grpc.testing.{n}") for n in (
            "Empty", "SimpleRequest", "SimpleResponse", "StreamingInputCallRequest", "StreamingInputCallResponse",
            "StreamingOutputCallRequest", "StreamingOutputCallResponse")}
    except descriptor_set.ContractError as e:
        print(f"python-server: not serving grpc.testing.TestService: {e}", file=sys.stderr)
        return None


M = _message_classes()


class _Failed(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


def _payload(response_type, size):
    if response_type != COMPRESSABLE:
        raise _Failed(grpc.StatusCode.INVALID_ARGUMENT, f"unsupported payload type {response_type}")
    if size < 0:
        raise _Failed(grpc.StatusCode.INVALID_ARGUMENT, f"negative payload size {size}")
    return {"type": COMPRESSABLE, "body": bytes(size)}


def _echoed_status(request):
    st = request.response_status
    if request.HasField("response_status") and st.code != 0:
        raise _Failed(_CODES.get(st.code, grpc.StatusCode.UNKNOWN), st.message)


def _echo_metadata(context):
    """Returns (header, trailer) to echo: x-grpc-test-echo-initial and -trailing-bin."""
    md = dict(context.invocation_metadata())
    header = [(ECHO_INITIAL, md[ECHO_INITIAL])] if ECHO_INITIAL in md else []
    trailer = [(ECHO_TRAILING, md[ECHO_TRAILING])] if ECHO_TRAILING in md else []
    return header, trailer


def _stream_responses(request, context):
    """(delay in seconds, response) for each ResponseParameters; sets per-message compression."""
    params = list(request.response_parameters)
    if any(p.compressed.value for p in params):
        context.set_compression(grpc.Compression.Gzip)
    out = []
    for p in params:
        out.append((p.interval_us / 1e6, M["StreamingOutputCallResponse"](payload=_payload(request.response_type, p.size)),
                    p.HasField("compressed") and not p.compressed.value))
    return out


def _unary(request, context):
    _echoed_status(request)
    if request.response_compressed.value:
        context.set_compression(grpc.Compression.Gzip)
    return M["SimpleResponse"](payload=_payload(request.response_type, request.response_size))


class SyncTestService:
    """Handlers for grpc.server (a thread per call)."""

    def EmptyCall(self, request, context):
        return M["Empty"]()

    def UnaryCall(self, request, context):
        header, trailer = _echo_metadata(context)
        if header:
            context.send_initial_metadata(header)
        context.set_trailing_metadata(trailer)
        try:
            return _unary(request, context)
        except _Failed as f:
            context.abort(f.code, f.message)

    def StreamingInputCall(self, request_iterator, context):
        return M["StreamingInputCallResponse"](aggregated_payload_size=sum(len(r.payload.body) for r in request_iterator))

    def StreamingOutputCall(self, request, context):
        yield from self._respond(request, context)

    def FullDuplexCall(self, request_iterator, context):
        header, trailer = _echo_metadata(context)
        if header:
            context.send_initial_metadata(header)
        context.set_trailing_metadata(trailer)
        for request in request_iterator:
            yield from self._respond(request, context)

    def HalfDuplexCall(self, request_iterator, context):
        for request in list(request_iterator):
            yield from self._respond(request, context)

    def _respond(self, request, context):
        try:
            _echoed_status(request)
            responses = _stream_responses(request, context)
        except _Failed as f:
            context.abort(f.code, f.message)
        for delay, response, uncompressed in responses:
            if delay > 0:
                time.sleep(delay)
            if uncompressed:
                context.disable_next_message_compression()
            yield response


class AioTestService:
    """Handlers for grpc.aio (coroutines on one event loop)."""

    async def EmptyCall(self, request, context):
        return M["Empty"]()

    async def UnaryCall(self, request, context):
        header, trailer = _echo_metadata(context)
        if header:
            await context.send_initial_metadata(header)
        context.set_trailing_metadata(trailer)
        try:
            return _unary(request, context)
        except _Failed as f:
            await context.abort(f.code, f.message)

    async def StreamingInputCall(self, request_iterator, context):
        total = 0
        async for r in request_iterator:
            total += len(r.payload.body)
        return M["StreamingInputCallResponse"](aggregated_payload_size=total)

    async def StreamingOutputCall(self, request, context):
        async for response in self._respond(request, context):
            yield response

    async def FullDuplexCall(self, request_iterator, context):
        header, trailer = _echo_metadata(context)
        if header:
            await context.send_initial_metadata(header)
        context.set_trailing_metadata(trailer)
        async for request in request_iterator:
            async for response in self._respond(request, context):
                yield response

    async def HalfDuplexCall(self, request_iterator, context):
        requests = [r async for r in request_iterator]
        for request in requests:
            async for response in self._respond(request, context):
                yield response

    async def _respond(self, request, context):
        try:
            _echoed_status(request)
            responses = _stream_responses(request, context)
        except _Failed as f:
            await context.abort(f.code, f.message)
        for delay, response, uncompressed in responses:
            if delay > 0:
                await asyncio.sleep(delay)
            if uncompressed:
                context.disable_next_message_compression()
            yield response


def add_test_service(server, aio=False):
    """Registers grpc.testing.TestService (sync or asyncio handlers) on the server."""
    if M is None:
        return
    impl = AioTestService() if aio else SyncTestService()
    ser = lambda m: m.SerializeToString()
    handlers = {
        "EmptyCall": grpc.unary_unary_rpc_method_handler(impl.EmptyCall, M["Empty"].FromString, ser),
        "UnaryCall": grpc.unary_unary_rpc_method_handler(impl.UnaryCall, M["SimpleRequest"].FromString, ser),
        "StreamingInputCall": grpc.stream_unary_rpc_method_handler(impl.StreamingInputCall, M["StreamingInputCallRequest"].FromString, ser),
        "StreamingOutputCall": grpc.unary_stream_rpc_method_handler(impl.StreamingOutputCall, M["StreamingOutputCallRequest"].FromString, ser),
        "FullDuplexCall": grpc.stream_stream_rpc_method_handler(impl.FullDuplexCall, M["StreamingOutputCallRequest"].FromString, ser),
        "HalfDuplexCall": grpc.stream_stream_rpc_method_handler(impl.HalfDuplexCall, M["StreamingOutputCallRequest"].FromString, ser),
    }
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, handlers),))
