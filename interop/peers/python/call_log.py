"""What the server saw of calls tagged "x-interop-tag", for interop.InteropTest/GetCallReport.

Shared by the sync and the asyncio server: the state sits behind a threading.Condition, so a
report can wait for the tagged call to end (the asyncio server waits in a worker thread).
"""

import threading
import time
from collections import OrderedDict

from interop_rules import deadline_ms, interop_test_pb2


class CallRecord:
    def __init__(self, time_remaining):
        self.has_deadline, self.deadline_ms = deadline_ms(time_remaining)
        self.cancelled = False
        # finished: the handler has returned. terminated: gRPC has ended the RPC. A report waits
        # for both, so a cancellation seen just after the handler returned is not missed.
        self.finished = False
        self.terminated = False
        # When the cancel was seen, and how long the handler ran on after it (a server that
        # stops its work reports ~0).
        self.cancelled_at = None
        self.ms_after_cancel = 0


class CallLog:
    def __init__(self, capacity=10_000):
        # Bounded: a long-running server must not grow without limit; the oldest tags go first.
        self._capacity = capacity
        self._records = OrderedDict()
        self._changed = threading.Condition()

    def start(self, tag, time_remaining):
        record = CallRecord(time_remaining)
        with self._changed:
            self._records[tag] = record
            self._records.move_to_end(tag)
            while len(self._records) > self._capacity:
                self._records.popitem(last=False)
            self._changed.notify_all()
        return record

    def update(self, record, **fields):
        with self._changed:
            if fields.get("cancelled") and record.cancelled_at is None and not record.finished:
                record.cancelled_at = time.monotonic()
            if fields.get("finished") and not record.finished and record.cancelled_at is not None:
                record.ms_after_cancel = int((time.monotonic() - record.cancelled_at) * 1000)
            for name, value in fields.items():
                setattr(record, name, value)
            self._changed.notify_all()

    def report(self, tag, wait_ms):
        """The CallReport for tag, after waiting up to wait_ms for that call to end."""

        def ended():
            record = self._records.get(tag)
            return record is not None and record.finished and record.terminated

        with self._changed:
            self._changed.wait_for(ended, timeout=max(wait_ms, 0) / 1000)
            record = self._records.get(tag)
            if record is None:
                return interop_test_pb2.CallReport(found=False)
            return interop_test_pb2.CallReport(
                found=True, has_deadline=record.has_deadline, deadline_ms=record.deadline_ms,
                cancelled=record.cancelled, finished=record.finished, ms_after_cancel=record.ms_after_cancel)


class RpcEnd:
    """How one call of a grpc.server (thread pool) handler ends, for its record if it has one.

    `ended` is set by gRPC's termination callback (completed, cancelled or past its deadline):
    sleeps wait on it, so a cancelled call stops working at once. The RPC ending while the handler
    still runs can only be a cancellation; a normal end comes after the handler returned. Used as
    a context manager around the handler body, so the handler's return (also by exception, or by
    a response generator being closed) is recorded."""

    def __init__(self, context, log, record):
        self.context = context
        self.ended = threading.Event()
        self._log = log
        self._record = record
        self._lock = threading.Lock()
        self._handler_done = False
        if not context.add_callback(self._on_rpc_end):
            self._on_rpc_end()

    def _on_rpc_end(self):
        with self._lock:
            cut_short = not self._handler_done
            self.ended.set()
        if self._record:
            self._log.update(self._record, terminated=True)
            if cut_short:
                self._log.update(self._record, cancelled=True)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        # A request iterator that failed, or a response generator closed before its end, means
        # the call died under the handler; is_active() tells so even before the callback ran.
        died = not self.context.is_active() or exc_type is GeneratorExit
        with self._lock:
            self._handler_done = True
        if self._record:
            if died:
                self._log.update(self._record, cancelled=True)
            self._log.update(self._record, finished=True)
        return False
