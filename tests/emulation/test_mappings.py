"""The harness plays SQS event source mappings as Lambda does."""

from __future__ import annotations

import json

import boto3
import pytest

from article_pipeline_local.emulation.mappings import QueuePoller, drain
from article_pipeline_local.emulation.template import QueueMapping


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


class Relay(FakeFunction):
    """Sends every body it gets on to another queue, one message each (as Clean does)."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def invoke(self, event):
        for record in event["Records"]:
            boto3.client("sqs").send_message(QueueUrl=self.url, MessageBody=record["body"])
        return super().invoke(event)


def test_a_batching_window_fills_the_batch_while_upstream_still_has_work(stack):
    upstream = Relay(stack.queue_url("CleanedQueue"))
    downstream = FakeFunction()
    send(stack, "ExtractedQueue", *({"n": n} for n in range(25)))
    first = poller_on(stack, "ExtractedQueue", upstream)
    second = QueuePoller(
        QueueMapping("FakeFunction", "CleanedQueue", 20, 10, report_failures=True),
        downstream, stack.queue_url("CleanedQueue"), stack.physical["CleanedQueue"]["Arn"],
    )
    drain([first, second])
    assert [len(batch) for batch in upstream.batches] == [10, 10, 5]
    # Not 10, 10, 5: the window stays open while ExtractedQueue still feeds CleanedQueue.
    assert [len(batch) for batch in downstream.batches] == [20, 5]
    assert sorted(json.loads(r["body"])["n"] for batch in downstream.batches for r in batch) == list(range(25))
    assert visible(stack.queue_url("CleanedQueue")) == 0


def test_without_a_window_a_partial_batch_goes_at_once(stack):
    function = FakeFunction()
    poller = poller_on(stack, "CleanedQueue", function, batch_size=20)
    send(stack, "CleanedQueue", {"n": 1}, {"n": 2})
    assert poller.poll(window_elapsed=False) == 2
    assert [len(batch) for batch in function.batches] == [2]


class CountingSQS:
    """The poller's client, counting calls; ``fail_deletes`` makes DeleteMessageBatch report failures."""

    def __init__(self, fail_deletes: bool = False) -> None:
        self.client = boto3.client("sqs")
        self.calls: list[str] = []
        self.fail_deletes = fail_deletes

    def __getattr__(self, name):
        def call(**params):
            self.calls.append(name)
            if name == "delete_message_batch" and self.fail_deletes:
                return {"Successful": [], "Failed": [
                    {"Id": e["Id"], "SenderFault": True, "Code": "ReceiptHandleIsInvalid", "Message": "gone"}
                    for e in params["Entries"]
                ]}
            return getattr(self.client, name)(**params)
        return call


def test_successful_messages_are_deleted_in_batches_of_ten(stack):
    function = FakeFunction()
    poller = poller_on(stack, "CleanedQueue", function, batch_size=20)
    poller._sqs = CountingSQS()
    send(stack, "CleanedQueue", *({"n": n, "fail": n == 3} for n in range(20)))
    assert poller.poll() == 20
    # 19 succeeded: two DeleteMessageBatch calls; the failed one stays in flight.
    assert poller._sqs.calls.count("delete_message_batch") == 2
    assert "delete_message" not in poller._sqs.calls
    assert len(poller.in_flight) == 1
    assert poller.expire_visibility() == 1
    assert poller._sqs.calls.count("change_message_visibility_batch") == 1
    assert visible(stack.queue_url("CleanedQueue")) == 1


def test_a_delete_sqs_refuses_is_an_error_not_a_silent_success(stack):
    poller = poller_on(stack, "CleanedQueue", FakeFunction())
    poller._sqs = CountingSQS(fail_deletes=True)
    send(stack, "CleanedQueue", {"n": 1})
    with pytest.raises(RuntimeError, match="could not delete 1 message"):
        poller.poll()
