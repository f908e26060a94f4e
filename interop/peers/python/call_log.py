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
