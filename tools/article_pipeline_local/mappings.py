"""Play Lambda's SQS event source mappings against moto's queues.

moto's own SQS -> Lambda mapping ignores ``batchItemFailures``, so the harness polls the
queues itself, as Lambda does: batches of the template's ``BatchSize``, the failed items
of a batch left on the queue, the others deleted. A failed message becomes visible again
only once the queues have nothing else to deliver (the visibility timeout elapses in
order, not in wall time), and moto moves it to the DLQ once it has been received
``maxReceiveCount`` times.
"""

from __future__ import annotations

import hashlib
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

    def poll(self, progress: Progress | None = None) -> int:
        """Deliver one batch; returns how many messages it held."""
        sqs = boto3.client("sqs")
        messages: list[dict[str, Any]] = []
        while len(messages) < self.mapping.batch_size:
            response = sqs.receive_message(
                QueueUrl=self.queue_url,
                MaxNumberOfMessages=min(10, self.mapping.batch_size - len(messages)),
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
                WaitTimeSeconds=0,
            )
            if not response.get("Messages"):
                break
            messages += response["Messages"]
        if not messages:
            return 0
        event = {"Records": [lambda_record(message, self.queue_arn) for message in messages]}
        failed_ids = self._invoke(event)
        for message in messages:
            if message["MessageId"] in failed_ids:
                self.in_flight.append(message["ReceiptHandle"])
            else:
                sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        self.handled += len(messages)
        self.failed += len(failed_ids)
        if progress:
            progress(self.function.name, len(messages), len(failed_ids))
        return len(messages)

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
        sqs = boto3.client("sqs")
        for handle in self.in_flight:
            sqs.change_message_visibility(QueueUrl=self.queue_url, ReceiptHandle=handle, VisibilityTimeout=0)
        expired, self.in_flight = len(self.in_flight), []
        return expired


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
        delivered = sum(1 for poller in pollers if poller.poll(progress))
        batches += delivered
        if delivered:
            continue
        if not sum(poller.expire_visibility() for poller in pollers):
            return batches
    raise RuntimeError(f"queues still busy after {max_batches} batches")
