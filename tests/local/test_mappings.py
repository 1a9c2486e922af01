"""The harness plays SQS event source mappings as Lambda does."""

from __future__ import annotations

import json

import boto3

from article_pipeline_local.mappings import QueuePoller, drain
from article_pipeline_local.template import QueueMapping


class FakeFunction:
    """Fails the messages whose body says so; records every batch it sees."""

    name = "FakeFunction"

    def __init__(self, crash: bool = False) -> None:
        self.batches: list[list[dict]] = []
        self.crash = crash

    def invoke(self, event):
        self.batches.append(event["Records"])
        if self.crash:
            raise RuntimeError("handler crashed")
        failed = [r["messageId"] for r in event["Records"] if json.loads(r["body"]).get("fail")]
        return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failed]}


def poller_on(stack, queue: str, function, batch_size: int = 10) -> QueuePoller:
    mapping = QueueMapping("FakeFunction", queue, batch_size, 0, report_failures=True)
    return QueuePoller(mapping, function, stack.queue_url(queue), stack.physical[queue]["Arn"])


def visible(url: str) -> int:
    attributes = boto3.client("sqs").get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


def send(stack, queue: str, *bodies: dict) -> None:
    for body in bodies:
        boto3.client("sqs").send_message(QueueUrl=stack.queue_url(queue), MessageBody=json.dumps(body))


def test_only_failed_items_are_retried_and_end_in_the_dlq(stack):
    function = FakeFunction()
    send(stack, "CleanedQueue", {"n": 1}, {"n": 2, "fail": True}, {"n": 3})
    drain([poller_on(stack, "CleanedQueue", function)])

    deliveries = [json.loads(r["body"])["n"] for batch in function.batches for r in batch]
    assert sorted(deliveries) == [1, 2, 2, 2, 3]  # maxReceiveCount is 3 for CleanedQueue
    assert visible(stack.queue_url("CleanedQueue")) == 0
    assert visible(stack.queue_url("CleanedDLQ")) == 1


def test_a_crashed_invocation_fails_the_whole_batch(stack):
    function = FakeFunction(crash=True)
    send(stack, "ExtractedQueue", {"n": 1}, {"n": 2})
    drain([poller_on(stack, "ExtractedQueue", function)])
    assert visible(stack.queue_url("ExtractedDLQ")) == 2
    assert len(function.batches) == 3


def test_batches_hold_at_most_the_mapping_batch_size(stack):
    function = FakeFunction()
    send(stack, "CleanedQueue", *({"n": n} for n in range(25)))
    drain([poller_on(stack, "CleanedQueue", function, batch_size=20)])
    assert [len(batch) for batch in function.batches] == [20, 5]


def test_records_have_the_shape_lambda_delivers(stack):
    function = FakeFunction()
    send(stack, "CleanedQueue", {"n": 1})
    drain([poller_on(stack, "CleanedQueue", function)])
    record = function.batches[0][0]
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"].endswith(":article-pipeline-CleanedQueue")
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert {"messageId", "receiptHandle", "body", "md5OfBody", "awsRegion", "messageAttributes"} <= set(record)
