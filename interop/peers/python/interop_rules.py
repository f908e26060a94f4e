"""The rules of interop.InteropTest that do not depend on the server flavour (sync or asyncio).

proto/interop_test.proto is the specification; both servicers only add the gRPC plumbing
(sleeping, sending headers, aborting) around these functions.
"""

import math

import grpc

from peer_common import import_generated

interop_test_pb2 = import_generated("interop_test_pb2")

INITIAL_PREFIX = "x-initial-"
TRAILING_PREFIX = "x-trailing-"
TAG_KEY = "x-interop-tag"

# When a client cancels a stream, the server's pending read ends as if the client had
# half-closed, and the cancellation itself is delivered a moment later; neither grpcio server
# says which came first. A recorded call whose request stream has ended therefore waits this
# long for a cancellation before it carries on, so its report says what really happened.
# Only calls tagged x-interop-tag pay for it. 500 ms (it was 50, then 250): on a busy 2-core
# machine (both cores loaded, the matrix running) the cancellation came more than 50 ms after the
# end of the requests, and the report said "not cancelled"; in CI's container run (every core
# busy, dockerd starting containers) a grpc-js client's cancel reached the sync server's
# termination callback more than 250 ms late (ts -> python | cancel-before-first-response).
CANCEL_SETTLE_SECONDS = 0.5

_CODES = {code.value[0]: code for code in grpc.StatusCode}

# A call without a deadline reports an effectively infinite time remaining; anything beyond a
# day is treated as "no deadline" (grpcio reports the far-future sentinel, not None).
_NO_DEADLINE_SECONDS = 24 * 3600


def echo_metadata(invocation_metadata):
    """Split the request metadata into what is echoed as headers and what as trailers.

    Every value of a repeated key is kept, in order; "-bin" values stay bytes."""
    initial, trailing = [], []
    for key, value in invocation_metadata or ():
        if key.startswith(INITIAL_PREFIX):
            initial.append((key, value))
        elif key.startswith(TRAILING_PREFIX):
            trailing.append((key, value))
    return tuple(initial), tuple(trailing)


def call_tag(invocation_metadata):
    for key, value in invocation_metadata or ():
        if key == TAG_KEY:
            return value
    return None


def deadline_ms(time_remaining):
    """(has_deadline, ms left) from ServicerContext.time_remaining() in seconds."""
    if time_remaining is None or math.isinf(time_remaining) or time_remaining > _NO_DEADLINE_SECONDS:
        return False, 0
    # Rounded down: the client's timeout header is rounded up on the wire, so the server can
    # see a hair more than was sent.
    return True, int(time_remaining * 1000)


# The request rules of proto/interop_test.proto ("Request rules"): every integer field is checked
# before any work; a value out of range is INVALID_ARGUMENT naming the field, the value and the range.
MAX_SIZE = 16 * 1024 * 1024
MAX_COUNT = 100_000
MAX_STREAM_BYTES = 64 * 1024 * 1024
MAX_MS = 60_000
MAX_CODE = 16
MAX_INT32 = 2**31 - 1


def _out_of_range(field, value, maximum):
    if value < 0 or value > maximum:
        return grpc.StatusCode.INVALID_ARGUMENT, f"{field} {value} is out of range [0, {maximum}]"
    return None


def _first(*failures):
    return next((f for f in failures if f), None)


def check_echo(request):
    """(INVALID_ARGUMENT, message) when an Echo / FullDuplex request breaks the rules, else None."""
    return _first(
        _out_of_range("response_size", request.response_size, MAX_SIZE),
        _out_of_range("sleep_ms", request.sleep_ms, MAX_MS),
        _out_of_range("response_status.code", request.response_status.code, MAX_CODE)
        if request.HasField("response_status") else None)


def check_stream_input(request):
    """StreamInput uses only sleep_ms and response_status of its requests: only they are checked."""
    return _first(
        _out_of_range("sleep_ms", request.sleep_ms, MAX_MS),
        _out_of_range("response_status.code", request.response_status.code, MAX_CODE)
        if request.HasField("response_status") else None)


def check_stream_output(request):
    total = request.response_count * request.response_size
    return _first(
        _out_of_range("response_count", request.response_count, MAX_COUNT),
        _out_of_range("response_size", request.response_size, MAX_SIZE),
        _out_of_range("interval_ms", request.interval_ms, MAX_MS),
        _out_of_range("initial_delay_ms", request.initial_delay_ms, MAX_MS),
        *(_out_of_range(f"response_sizes[{i}]", size, MAX_SIZE) for i, size in enumerate(request.response_sizes)),
        _out_of_range("response_status.code", request.response_status.code, MAX_CODE)
        if request.HasField("response_status") else None,
        (grpc.StatusCode.INVALID_ARGUMENT, f"response_count * response_size = {total} is over {MAX_STREAM_BYTES}")
        if total > MAX_STREAM_BYTES else None)


def check_wait_ms(request):
    return _out_of_range("wait_ms", request.wait_ms, MAX_MS)


def check_page_size(request):
    return _out_of_range("page_size", request.page_size, MAX_INT32)


def requested_failure(request):
    """(grpc.StatusCode, message) the request asks the server to fail with (or breaks the
    rules with), or None."""
    return check_echo(request) or requested_status(request)


def requested_status(request):
    """(grpc.StatusCode, message) of the request's response_status when set and not OK, else None
    (EchoRequest and StreamOutputRequest; the code is already checked to be 0..16)."""
    if not request.HasField("response_status") or request.response_status.code == 0:
        return None
    return _CODES[request.response_status.code], request.response_status.message


def failure_trailers(trailing, request, failure):
    """The trailers of a requested failure: the x-trailing- echo, plus, when the request asks for
    status_details, grpc-status-details-bin = google.rpc.Status{code, message, [Any of the request]}."""
    trailing = tuple(trailing or ())
    if not getattr(request, "status_details", False):
        return trailing
    code, message = failure
    any_bytes = (_len_field(1, b"type.googleapis.com/" + request.DESCRIPTOR.full_name.encode())
                 + _len_field(2, request.SerializeToString()))
    status = b"\x08" + _varint(code.value[0]) + _len_field(2, message.encode()) + _len_field(3, any_bytes)
    return trailing + (("grpc-status-details-bin", status),)


def _varint(n):
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _len_field(number, payload):
    """A length-delimited protobuf field (google.rpc.Status is not generated here)."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def echo_response(request):
    payload = bytes(request.response_size) if request.response_size > 0 else request.payload
    return interop_test_pb2.EchoResponse(payload=payload, index=request.index)


def stream_output_response(request, index):
    sizes = request.response_sizes
    size = sizes[index] if index < len(sizes) else request.response_size
    return interop_test_pb2.EchoResponse(payload=bytes(size), index=index)


class InputSummary:
    """StreamInput's running count; in_order holds while the indexes go 0, 1, 2, ..."""

    def __init__(self):
        self.count = 0
        self.payload_bytes = 0
        self.in_order = True

    def add(self, request):
        if request.index != self.count:
            self.in_order = False
        self.count += 1
        self.payload_bytes += len(request.payload)

    def message(self):
        return interop_test_pb2.StreamInputSummary(
            count=self.count, payload_bytes=self.payload_bytes, in_order=self.in_order)
