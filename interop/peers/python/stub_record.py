"""What a stub saw of each tagged call (README: Any contract), for interop.InteropTest/GetCallReport.

The reference servers' CallLog (deadline, cancellation, finished, waiting for the call to end)
plus what only a stub records: every request as canonical proto3 JSON and the request metadata.
The report is built with the descriptor set's CallReport, so it carries received_json even
where the generated code is older than the contract.
"""

import base64
import json

from call_log import CallLog

# Request metadata that says how the call travels, not what the client sent: left out of the
# record so expectations compare only what a case's client chose to send.
_TRANSPORT_KEYS = {"te", "content-type", "user-agent"}


def recorded_metadata(invocation_metadata):
    """{key: [values]}: keys lower-case, "-bin" values base64, without pseudo, grpc-* and
    transport headers."""
    out = {}
    for key, value in invocation_metadata or ():
        key = key.lower()
        if key.startswith(":") or key.startswith("grpc-") or key in _TRANSPORT_KEYS:
            continue
        if isinstance(value, bytes):
            value = base64.b64encode(value).decode("ascii")
        out.setdefault(key, []).append(value)
    return out


class StubCallLog(CallLog):
    def __init__(self, contract, capacity=10_000):
        super().__init__(capacity)
        self._contract = contract

    def start_call(self, tag, time_remaining, invocation_metadata):
        record = self.start(tag, time_remaining)
        self.update(record, requests=[], metadata=recorded_metadata(invocation_metadata))
        return record

    def add_request(self, record, request_json):
        with self._changed:
            record.requests.append(request_json)

    def report(self, tag, wait_ms):
        """The CallReport for tag, after waiting up to wait_ms for that call to end."""

        def ended():
            record = self._records.get(tag)
            return record is not None and record.finished and record.terminated

        # Looked up here, not at start: a contract without interop.* has no GetCallReport to answer.
        report_class = self._contract.message_class("interop.CallReport")
        with self._changed:
            self._changed.wait_for(ended, timeout=max(wait_ms, 0) / 1000)
            record = self._records.get(tag)
            if record is None:
                return report_class(found=False)
            received = json.dumps({"requests": list(record.requests), "metadata": record.metadata})
            return report_class(
                found=True, has_deadline=record.has_deadline, deadline_ms=record.deadline_ms,
                cancelled=record.cancelled, finished=record.finished, received_json=received)
