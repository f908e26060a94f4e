"""A case from the contract (interop/contract.ts, CaseSpec), checked and made ready to call.

Everything that can be wrong with the input is found here, before any call is made, so a bad
cases file fails as a whole (exit 2) instead of half-way through.
"""

from google.protobuf import descriptor_pool, json_format, message_factory

from driver_channel import CaseError, check_tls

DEFAULT_TIMEOUT_MS = 10_000


def find_method(full_name):
    """(method descriptor, request class, response class) of "package.Service/Method"."""
    service, _, method = full_name.partition("/")
    try:
        md = descriptor_pool.Default().FindServiceByName(service).methods_by_name[method]
    except KeyError:
        raise CaseError(f"unknown method {full_name!r}")
    return md, message_factory.GetMessageClass(md.input_type), message_factory.GetMessageClass(md.output_type)


class Case:
    def __init__(self, spec, default_address):
        if not isinstance(spec, dict):
            raise CaseError("a case must be a JSON object")
        self.name = spec.get("name", "")
        self.method = spec.get("method") or ""
        self.md, self.request_class, self.response_class = find_method(self.method)
        self.client_streaming = self.md.client_streaming
        self.server_streaming = self.md.server_streaming
        self.path = spec.get("path") or "/" + self.method
        self.address = spec.get("address") or default_address
        if not self.address:
            raise CaseError(f"case {self.name!r}: no address (give --addr or the case's address)")
        self.tls = spec.get("tls")
        check_tls(self.tls)
        self.metadata = spec.get("metadata") or {}
        self.compression = spec.get("compression")
        if self.compression not in (None, "gzip"):
            raise CaseError(f"case {self.name!r}: unsupported compression {self.compression!r}")
        self.timeout_s = (spec.get("timeoutMs") or DEFAULT_TIMEOUT_MS) / 1000
        self.send_interval_s = (spec.get("sendIntervalMs") or 0) / 1000
        self.cancel_after_ms = spec.get("cancelAfterMs")
        self.cancel_after_responses = spec.get("cancelAfterResponses")
        self.concurrent_calls = spec.get("concurrentCalls")
        self.sizes_only = bool(spec.get("recordSizesOnly"))
        self.call_report = spec.get("callReport")
        if self.call_report is not None and not self.call_report.get("tag"):
            raise CaseError(f"case {self.name!r}: callReport needs a tag")
        self.repeat = spec.get("repeatRequests")
        self._requests = [self._parse(i, r) for i, r in enumerate(spec.get("requests") or [])]
        payload_bytes = spec.get("requestPayloadBytes")
        if payload_bytes:
            if "payload" not in self.request_class.DESCRIPTOR.fields_by_name:
                raise CaseError(f"case {self.name!r}: requestPayloadBytes needs a 'payload' field in {self.md.input_type.full_name}")
            for request in self._requests:
                request.payload = bytes(payload_bytes)
        if self.repeat is not None:
            if not self._requests:
                raise CaseError(f"case {self.name!r}: repeatRequests needs requests[0]")
            if "index" not in self.request_class.DESCRIPTOR.fields_by_name:
                raise CaseError(f"case {self.name!r}: repeatRequests needs an 'index' field in {self.md.input_type.full_name}")
        if not self.client_streaming and len(self._requests) != 1:
            raise CaseError(f"case {self.name!r}: {self.method} takes exactly one request")
        if self.concurrent_calls is not None and (self.client_streaming or self.server_streaming):
            raise CaseError(f"case {self.name!r}: concurrentCalls is for unary methods only")

    def _parse(self, i, request):
        try:
            return json_format.ParseDict(request, self.request_class())
        except json_format.ParseError as e:
            raise CaseError(f"case {self.name!r}: request {i} is not a valid {self.md.input_type.full_name}: {e}")

    @property
    def holds_stream_open(self):
        """A case that cancels never half-closes: the cancel must reach an open call."""
        return self.cancel_after_ms is not None or self.cancel_after_responses is not None

    def first_request(self):
        return next(iter(self.requests()))

    def requests(self):
        """The messages to send, made one at a time (repeatRequests may ask for many)."""
        if self.repeat is None:
            yield from self._requests
            return
        template = self._requests[0]
        for index in range(self.repeat):
            message = self.request_class()
            message.CopyFrom(template)
            message.index = index
            yield message
