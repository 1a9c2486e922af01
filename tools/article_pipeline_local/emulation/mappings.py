"""Play Lambda's SQS event source mappings against moto's queues.

moto's own SQS -> Lambda mapping ignores ``batchItemFailures``, so the harness polls the
queues itself, as Lambda does: batches of the template's ``BatchSize``, the failed items
of a batch left on the queue, the others deleted (``DeleteMessageBatch``, as the event
source mapping does). A failed message becomes visible again only once the queues have
nothing else to deliver (the visibility timeout elapses in order, not in wall time), and
moto moves it to the DLQ once it has been received ``maxReceiveCount`` times.

Time is played in order, not in wall time, for ``MaximumBatchingWindowInSeconds`` too: in
``drain`` a mapping with a window holds the messages it has received (in flight, as the
event source mapping does) until it has a full batch, and its window elapses only once no
mapping has a full batch to deliver, the most upstream one first.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3

from .cloud import Stack
from .runtime import LocalFunction
from .template import REGION, QueueMapping

Progress = Callable[[str, int, int], None]


def lambda_record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    """An SQS message as Lambda hands it to a function."""
    attributes = {
        name: {
            "stringValue": value.get("StringValue"),
            "binaryValue": value.get("BinaryValue"),
            "stringListValues": [],
            "binaryListValues": [],
            "dataType": value["DataType"],
        }
        for name, value in message.get("MessageAttributes", {}).items()
    }
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": attributes,
        "md5OfBody": message.get("MD5OfBody") or hashlib.md5(message["Body"].encode()).hexdigest(),  # noqa: S324
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": REGION,
    }


#: SQS's limit of entries per batch call (ReceiveMessage, DeleteMessageBatch...).
SQS_BATCH = 10


@dataclass
class QueuePoller:
    mapping: QueueMapping
    function: LocalFunction
    queue_url: str
    queue_arn: str
    #: receipt handles of failed messages still invisible on the queue
    in_flight: list[str] = field(default_factory=list)
    handled: int = 0
    failed: int = 0
    #: messages received (in flight) and not yet delivered: the batching window is open
    buffer: list[dict[str, Any]] = field(default_factory=list)
    _sqs: Any = field(default=None, repr=False)
    _counts: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def sqs(self):
        """One client per poller, made on first use (inside the mock or against the server)."""
        if self._sqs is None:
            self._sqs = boto3.client("sqs")
        return self._sqs

    def fill(self) -> int:
        """Receive until the batch is full or the queue has nothing more to give now."""
        received = 0
        while len(self.buffer) < self.mapping.batch_size:
            wanted = min(SQS_BATCH, self.mapping.batch_size - len(self.buffer))
            response = self.sqs.receive_message(
                QueueUrl=self.queue_url,
                MaxNumberOfMessages=wanted,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
                WaitTimeSeconds=0,
            )
            messages = response.get("Messages") or []
            self.buffer += messages
            received += len(messages)
            if len(messages) < wanted:  # no more visible messages right now
                break
        return received

    @property
    def full(self) -> bool:
        return len(self.buffer) >= self.mapping.batch_size

    def poll(self, progress: Progress | None = None, *, window_elapsed: bool = True) -> int:
        """Deliver one batch; returns how many messages it held.

        With ``window_elapsed=False`` a mapping with a batching window only delivers a full
        batch, and keeps what it received for the next call.
        """
        self.fill()
        if not self.buffer:
            return 0
        if not (window_elapsed or self.full or not self.mapping.window_seconds):
            return 0
        return self.deliver(progress)

    def deliver(self, progress: Progress | None = None) -> int:
        """Invoke the function with the messages held; delete those it did not fail."""
        messages, self.buffer = self.buffer, []
        return self.handle(messages, progress)

    def handle(self, messages: list[dict[str, Any]], progress: Progress | None = None) -> int:
        """One batch: invoke the function, delete what it did not fail, keep the rest in flight.

        Safe from several threads at once (``instances`` hands batches to many instances).
        """
        if not messages:
            return 0
        event = {"Records": [lambda_record(message, self.queue_arn) for message in messages]}
        failed_ids = self._invoke(event)
        done = []
        for message in messages:
            if message["MessageId"] in failed_ids:
                self.in_flight.append(message["ReceiptHandle"])  # list.append is atomic
            else:
                done.append(message["ReceiptHandle"])
        self._delete(done)
        with self._counts:
            self.handled += len(messages)
            self.failed += len(failed_ids)
        if progress:
            progress(self.function.name, len(messages), len(failed_ids))
        return len(messages)

    def _delete(self, handles: list[str]) -> None:
        self._batches(self.sqs.delete_message_batch, [{"ReceiptHandle": h} for h in handles], "delete")

    def _batches(self, call: Callable[..., dict[str, Any]], entries: list[dict[str, Any]], what: str) -> None:
        """``call`` (an SQS ``*Batch`` action) over ``entries``, 10 a call; any failed entry raises."""
        for start in range(0, len(entries), SQS_BATCH):
            chunk = [{"Id": str(n), **entry} for n, entry in enumerate(entries[start : start + SQS_BATCH])]
            failed = call(QueueUrl=self.queue_url, Entries=chunk).get("Failed")
            if failed:
                reasons = ", ".join(f"{f.get('Code')}: {f.get('Message')}" for f in failed)
                raise RuntimeError(f"could not {what} {len(failed)} message(s) on {self.queue_url}: {reasons}")

    def _invoke(self, event: dict[str, Any]) -> set[str]:
        every_id = {record["messageId"] for record in event["Records"]}
        try:
            response = self.function.invoke(event)
        except Exception:  # noqa: BLE001 - as on Lambda, a crashed invocation fails the whole batch
            return every_id
        if not self.mapping.report_failures:
            return set()
        failures = (response or {}).get("batchItemFailures", [])
        return {failure["itemIdentifier"] for failure in failures}

    def expire_visibility(self) -> int:
        """Make failed messages visible again (their visibility timeout has passed)."""
        handles, self.in_flight = self.in_flight, []
        entries = [{"ReceiptHandle": h, "VisibilityTimeout": 0} for h in handles]
        self._batches(self.sqs.change_message_visibility_batch, entries, "expire the visibility of")
        return len(handles)


def pollers_for(stack: Stack, functions: dict[str, LocalFunction]) -> list[QueuePoller]:
    """One poller per SQS event of the template, in the order the chain runs."""
    return [
        QueuePoller(
            mapping=mapping,
            function=functions[name],
            queue_url=stack.queue_url(mapping.queue),
            queue_arn=stack.physical[mapping.queue]["Arn"],
        )
        for name, local in functions.items()
        for mapping in local.function.mappings
    ]


def drain(pollers: list[QueuePoller], progress: Progress | None = None, max_batches: int = 100_000) -> int:
    """Deliver until every queue is empty and nothing is waiting to be retried."""
    batches = 0
    while batches < max_batches:
        # Full batches first; a batching window stays open while some mapping has work.
        delivered = sum(1 for poller in pollers if poller.poll(progress, window_elapsed=False))
        if not delivered:
            # Nothing fills a batch now: the most upstream open window elapses.
            delivered = next((1 for poller in pollers if poller.deliver(progress)), 0)
        batches += delivered
        if delivered:
            continue
        if not sum(poller.expire_visibility() for poller in pollers):
            return batches
    raise RuntimeError(f"queues still busy after {max_batches} batches")
