"""Powertools' BatchProcessor with the two rules every stage needs.

- Near the function's timeout it stops taking records: the rest are reported as batch
  item failures and come back through SQS, instead of the whole batch being retried
  after a timeout.
- On a record's last delivery (its receive count has reached the queue's
  ``maxReceiveCount``) a failure is also handed to ``on_give_up``, so the article gets a
  ``failed`` record that says so while the message itself moves on to the DLQ.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType

#: Time left (ms) below which no new record is started.
DEFAULT_RESERVE_MS = 10_000

GiveUp = Callable[[Any, BaseException], None]


class DeadlineExceeded(RuntimeError):
    """Raised for records left unstarted because the invocation is about to time out."""


class PipelineBatchProcessor(BatchProcessor):
    def __init__(
        self,
        model: type | None = None,
        on_give_up: GiveUp | None = None,
        reserve_ms: int | None = None,
    ) -> None:
        super().__init__(event_type=EventType.SQS, model=model)
        self.on_give_up = on_give_up
        self.reserve_ms = reserve_ms if reserve_ms is not None else int(os.environ.get("RESERVE_MS", DEFAULT_RESERVE_MS))

    def _near_deadline(self) -> bool:
        context = getattr(self, "lambda_context", None)
        return context is not None and context.get_remaining_time_in_millis() < self.reserve_ms

    def _process_record(self, record: dict):
        if not self._near_deadline():
            return super()._process_record(record)
        # Report through the processor's own failure path so the response stays consistent.
        handler, self.handler = self.handler, _refuse
        try:
            return super()._process_record(record)
        finally:
            self.handler = handler

    def failure_handler(self, record, exception):
        error = exception[1]
        if self.on_give_up and is_last_delivery(record) and not isinstance(error, DeadlineExceeded):
            try:
                self.on_give_up(record, error)
            except Exception:  # noqa: BLE001 - the message still reaches the DLQ
                pass
        return super().failure_handler(record, exception)


def _refuse(record: Any, lambda_context: Any = None) -> None:
    raise DeadlineExceeded("the invocation is about to time out; left for the next delivery")


def max_receive_count() -> int:
    return int(os.environ.get("MAX_RECEIVE_COUNT", "3"))


def is_last_delivery(record: Any) -> bool:
    """True when SQS will move this message to the DLQ instead of delivering it again."""
    attributes = getattr(record, "attributes", None)
    count = getattr(attributes, "ApproximateReceiveCount", None) if attributes is not None else None
    return count is not None and int(count) >= max_receive_count()
