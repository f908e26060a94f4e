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
# Only calls tagged x-interop-tag pay for it.
CANCEL_SETTLE_SECONDS = 0.05

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


def requested_failure(request):
    """(grpc.StatusCode, message) the request asks the server to fail with, or None."""
    if not request.HasField("response_status") or request.response_status.code == 0:
        return None
    # grpcio can only send codes it knows; an out-of-range code would become UNKNOWN anyway.
    code = _CODES.get(request.response_status.code, grpc.StatusCode.UNKNOWN)
    return code, request.response_status.message


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
