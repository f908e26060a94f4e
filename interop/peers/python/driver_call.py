"""Makes the call a case describes and observes it (interop/contract.ts, Observation).

One code path for the four patterns: requests go out through a generator (gRPC pulls the next
one when it can send it, as in the article), responses are read as they arrive. Unary-response
calls are made as futures, so that they can be cancelled like streams. Every call carries the
case's deadline, so no server behaviour can hang the driver.
"""

import threading
import time

import grpc

import driver_metadata
from driver_case import Case
from driver_channel import open_channel

# How long past the call's own deadline a request generator waits for the call to end before
# giving up: only a bug in grpcio or here could need it.
_GRACE_S = 2.0


class Clock:
    def __init__(self):
        self.start = time.monotonic()

    def now(self):
        return round((time.monotonic() - self.start) * 1000, 3)


def _status(call):
    code = call.code() or grpc.StatusCode.UNKNOWN
    return {"code": code.value[0], "message": call.details() or ""}


class _Observer:
    """Builds one Observation."""

    def __init__(self, case: Case, clock: Clock):
        self.case = case
        self.clock = clock
        self.obs = {"client": "python", "case": case.name, "method": case.method, "status": None,
                    "sent": [], "halfCloseAtMs": None, "responses": [], "headers": {}, "trailers": {}}
        self._replies = threading.Condition()  # sendOnReply: the request generator waits on it

    def sent(self):
        self.obs["sent"].append({"atMs": self.clock.now()})

    def half_closed(self):
        self.obs["halfCloseAtMs"] = self.clock.now()

    def received(self, raw, at_ms=None):
        """raw is the serialized response: the driver asks grpcio for bytes, not messages."""
        at_ms = self.clock.now() if at_ms is None else at_ms
        if self.case.sizes_only:
            self.obs["responses"].append({"atMs": at_ms, "sizeBytes": len(raw)})
        else:
            message = self.case.response_class.FromString(raw)
            self.obs["responses"].append({"atMs": at_ms, "message": self.case.contract.to_json(message)})
        self.wake()

    def wake(self):
        with self._replies:
            self._replies.notify_all()

    def wait_for_replies(self, count, timeout_s, call_ended):
        """sendOnReply: returns once `count` replies have arrived, the call ended, or timeout_s passed."""
        with self._replies:
            self._replies.wait_for(lambda: len(self.obs["responses"]) >= count or call_ended.is_set(), timeout_s)

    def ended(self, call):
        """Status and metadata of a finished call (an RpcError is a call too)."""
        self.obs["status"] = _status(call)
        self.obs["headers"] = driver_metadata.to_json(call.initial_metadata())
        self.obs["trailers"] = driver_metadata.to_json(call.trailing_metadata())
        details = _status_details(self.case.contract, call.trailing_metadata())
        if details is not None:
            self.obs["statusDetails"] = details
        self.obs["durationMs"] = self.clock.now()


def _status_details(contract, trailing_metadata):
    """google.rpc.Status from grpc-status-details-bin (grpcio leaves it in the trailers), as
    canonical JSON with its Any details resolved through the descriptor set."""
    raw = next((v for k, v in (trailing_metadata or ()) if k == "grpc-status-details-bin"), None)
    if raw is None:
        return None
    try:
        return contract.to_json(contract.message_class("google.rpc.Status").FromString(raw))
    except Exception as e:  # a contract without google.rpc.Status, bytes that do not decode, an unknown Any
        return {"error": f"grpc-status-details-bin is not a google.rpc.Status of the descriptor set: {e}"}


def _call_options(case: Case):
    metadata = driver_metadata.to_grpc(case.metadata)
    if case.call_report:
        metadata.append(("x-interop-tag", case.call_report["tag"]))
    options = {"timeout": case.timeout_s, "metadata": metadata}
    if case.compression == "gzip":
        # Also set on the channel (driver_channel): grpcio's stream-unary .future() drops this
        # argument, so it alone would send client-streaming requests uncompressed.
        options["compression"] = grpc.Compression.Gzip
    return options


def _multicallable(channel, case: Case):
    make = {
        (False, False): channel.unary_unary,
        (False, True): channel.unary_stream,
        (True, False): channel.stream_unary,
        (True, True): channel.stream_stream,
    }[(case.client_streaming, case.server_streaming)]
    # No response deserializer: responses come as bytes, so their size is the size on the wire.
    return make(case.path, request_serializer=case.request_class.SerializeToString, response_deserializer=None)


def _call_once(channel, case: Case, observer: _Observer):
    call_ended = threading.Event()

    def request_stream():
        for request in case.requests():
            if call_ended.is_set():
                return  # the server already ended the call
            observer.sent()
            yield request
            if case.send_interval_s and case.send_on_reply:
                observer.wait_for_replies(len(observer.obs["sent"]), case.send_interval_s, call_ended)
                if call_ended.is_set():
                    return
            elif case.send_interval_s and call_ended.wait(case.send_interval_s):
                return
        if case.holds_stream_open:
            # Not half-closing: the stream stays open until the cancel (or the deadline) ends it.
            call_ended.wait(case.timeout_s + _GRACE_S)
            return
        observer.half_closed()

    if case.client_streaming:
        argument = request_stream()
    else:
        argument = case.first_request()
        observer.sent()
        observer.half_closed()  # grpcio sends the one request and the half-close together

    multicallable = _multicallable(channel, case)
    options = _call_options(case)
    call = multicallable(argument, **options) if case.server_streaming else multicallable.future(argument, **options)
    call.add_done_callback(lambda _: (call_ended.set(), observer.wake()))
    timer = None
    if case.cancel_after_ms is not None:
        timer = threading.Timer(case.cancel_after_ms / 1000, call.cancel)
        timer.daemon = True
        timer.start()
    if case.cancel_after_responses == 0:
        call.cancel()
    try:
        if case.server_streaming:
            count = 0
            for raw in call:
                observer.received(raw)
                count += 1
                if case.cancel_after_responses is not None and count >= case.cancel_after_responses:
                    call.cancel()
                    break
        else:
            observer.received(call.result())
    except (grpc.RpcError, grpc.FutureCancelledError):
        pass  # the status is read from the call below
    finally:
        if timer:
            timer.cancel()
    call_ended.wait(case.timeout_s + _GRACE_S)
    observer.ended(call)


def _call_concurrently(channel, case: Case, observer: _Observer):
    """concurrentCalls unary calls, all in flight at once on this channel: call i sends request
    i (mod the count), and the replies are listed in call order, each stamped at its arrival,
    so every reply can be checked against its own request."""
    multicallable = _multicallable(channel, case)
    options = _call_options(case)
    requests = list(case.requests())
    arrivals = {}
    futures = []
    for i in range(case.concurrent_calls):
        observer.sent()
        future = multicallable.future(requests[i % len(requests)], **options)
        future.add_done_callback(lambda _, i=i: arrivals.setdefault(i, observer.clock.now()))
        futures.append(future)
    observer.half_closed()
    for i, future in enumerate(futures):
        try:
            raw = future.result()
        except (grpc.RpcError, grpc.FutureCancelledError):
            continue
        observer.received(raw, arrivals.get(i, observer.clock.now()))
    failed = [f for f in futures if f.code() != grpc.StatusCode.OK]
    observer.ended(failed[0] if failed else futures[0])


def _fetch_call_report(channel, case: Case):
    """interop.InteropTest/GetCallReport for the case's tag, over the same channel."""
    _, request_class, response_class = case.contract.find_method("interop.InteropTest/GetCallReport")
    wait_ms = int(case.call_report.get("waitMs", 0))
    get_report = channel.unary_unary("/interop.InteropTest/GetCallReport",
                                     request_serializer=request_class.SerializeToString,
                                     response_deserializer=response_class.FromString)
    try:
        report = get_report(request_class(tag=case.call_report["tag"], wait_ms=wait_ms),
                            timeout=wait_ms / 1000 + 5)
    except grpc.RpcError as e:
        # Not a CallReport: the comparator shows this next to the report it expected.
        return {"error": {"code": e.code().value[0], "message": e.details() or ""}}
    return case.contract.to_json(report)


def error_observation(name, method, message):
    """A case the driver could not perform (README: Any contract): one line that says why, with a status no
    expectation of OK can take for a pass, so the batch goes on and the cell fails visibly."""
    return {"client": "python", "case": name, "method": method, "error": message,
            "status": {"code": grpc.StatusCode.UNKNOWN.value[0], "message": ""}, "sent": [],
            "halfCloseAtMs": None, "responses": [], "headers": {}, "trailers": {}, "durationMs": 0}


def run_case(case: Case):
    observer = _Observer(case, Clock())
    with open_channel(case.address, case.tls, case.compression) as channel:
        if case.concurrent_calls is not None:
            _call_concurrently(channel, case, observer)
        else:
            _call_once(channel, case, observer)
        if case.call_report:
            observer.obs["callReport"] = _fetch_call_report(channel, case)
    return observer.obs
