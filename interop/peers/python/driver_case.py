"""A case from the contract (interop/contract.ts, CaseSpec), checked and made ready to call.

Everything that can be wrong with one case is found here, before its call is made. The message
of a CaseError says what is wrong; the caller prefixes the case's name (README: Any contract), prints it
as that case's observation and goes on with the next case.
"""

from google.protobuf import json_format

from descriptor_set import Contract, ContractError
from driver_channel import CaseError, check_tls

DEFAULT_TIMEOUT_MS = 10_000


class Case:
    def __init__(self, spec, default_address, contract: Contract):
        self.name = spec.get("name", "")
        self.method = spec.get("method") or ""
        self.contract = contract
        try:
            self.md, self.request_class, self.response_class = contract.find_method(self.method)
        except ContractError as e:
            raise CaseError(str(e))
        self.client_streaming = self.md.client_streaming
        self.server_streaming = self.md.server_streaming
        self.path = spec.get("path") or "/" + self.method
        self.address = spec.get("address") or default_address
        if not self.address:
            raise CaseError("no address (give --addr or the case's address)")
        self.tls = spec.get("tls")
        check_tls(self.tls)
        self.metadata = spec.get("metadata") or {}
        self.compression = spec.get("compression")
        if self.compression not in (None, "gzip"):
            raise CaseError(f"unsupported compression {self.compression!r}")
        self.timeout_s = (spec.get("timeoutMs") or DEFAULT_TIMEOUT_MS) / 1000
        self.send_interval_s = (spec.get("sendIntervalMs") or 0) / 1000
        # Ping-pong pacing: the pause after request i ends once reply i has arrived.
        self.send_on_reply = bool(spec.get("sendOnReply"))
        self.cancel_after_ms = spec.get("cancelAfterMs")
        self.cancel_after_responses = spec.get("cancelAfterResponses")
        self.half_close_before_cancel = bool(spec.get("halfCloseBeforeCancel"))
        self.payload_sizes = spec.get("requestPayloadSizes") or []
        if self.payload_sizes and "payload" not in self.request_class.DESCRIPTOR.fields_by_name:
            raise CaseError(f"requestPayloadSizes needs a 'payload' field in {self.md.input_type.full_name}")
        self.concurrent_calls = spec.get("concurrentCalls")
        self.sizes_only = bool(spec.get("recordSizesOnly"))
        self.call_report = spec.get("callReport")
        if self.call_report is not None and not self.call_report.get("tag"):
            raise CaseError("callReport needs a tag")
        self.repeat = spec.get("repeatRequests")
        self._requests = [self._parse(i, r) for i, r in enumerate(spec.get("requests") or [])]
        payload_bytes = spec.get("requestPayloadBytes")
        if payload_bytes:
            if "payload" not in self.request_class.DESCRIPTOR.fields_by_name:
                raise CaseError(f"requestPayloadBytes needs a 'payload' field in {self.md.input_type.full_name}")
            for request in self._requests:
                request.payload = bytes(payload_bytes)
        if self.repeat is not None:
            if not self._requests:
                raise CaseError("repeatRequests needs requests[0]")
            if "index" not in self.request_class.DESCRIPTOR.fields_by_name:
                raise CaseError(f"repeatRequests needs an 'index' field in {self.md.input_type.full_name}")
        if not self.client_streaming and len(self._requests) != 1:
            raise CaseError(f"{self.method} takes exactly one request")
        if self.concurrent_calls is not None and (self.client_streaming or self.server_streaming):
            raise CaseError("concurrentCalls is for unary methods only")

    def _parse(self, i, request):
        try:
            # Strict (README: Any contract): an unknown field or a value of the wrong type is an error that
            # names the field, never silently dropped.
            return self.contract.from_json(request, self.request_class)
        except json_format.ParseError as e:
            raise CaseError(f"request {i} is not a valid {self.md.input_type.full_name}: {e}")

    @property
    def holds_stream_open(self):
        """A case that cancels never half-closes: the cancel must reach an open call."""
        cancels = self.cancel_after_ms is not None or self.cancel_after_responses is not None
        return cancels and not self.half_close_before_cancel

    def first_request(self):
        return next(iter(self.requests()))

    def requests(self):
        """The messages to send, made one at a time (repeatRequests may ask for many); request i's
        payload is requestPayloadSizes[i] zero bytes where the list says so."""
        for i, message in enumerate(self._unsized_requests()):
            if i < len(self.payload_sizes):
                message.payload = bytes(self.payload_sizes[i])
            yield message

    def _unsized_requests(self):
        if self.repeat is None:
            for request in self._requests:
                message = self.request_class()
                message.CopyFrom(request)
                yield message
            return
        template = self._requests[0]
        for index in range(self.repeat):
            message = self.request_class()
            message.CopyFrom(template)
            message.index = index
            yield message
