"""`article-pipeline redrive STAGE`: a DLQ back to its queue, nothing lost, nothing twice."""

from __future__ import annotations

import time

import boto3
import pytest

from article_pipeline_local.commands.redrive import redrive, stage_queues


def bodies(url: str) -> list[str]:
    sqs, found = boto3.client("sqs"), []
    while batch := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=60).get("Messages"):
        found += [m["Body"] for m in batch]
    return found


def test_each_stage_names_its_queue_and_dlq(stack):
    assert stage_queues(stack.template, "clean") == ("IngestQueue", "IngestDLQ")
    assert stage_queues(stack.template, "store") == ("ExtractedQueue", "ExtractedDLQ")
    assert stage_queues(stack.template, "replay") == ("ReplayQueue", "ReplayDLQ")
    with pytest.raises(SystemExit):
        stage_queues(stack.template, "publish")


def test_every_message_moves_once_with_its_attributes(stack):
    sqs = boto3.client("sqs")
    queue, dlq = stack.queue_url("CleanedQueue"), stack.queue_url("CleanedDLQ")
    for n in range(23):
        sqs.send_message(QueueUrl=dlq, MessageBody=f'{{"n": {n}}}',
                         MessageAttributes={"article_id": {"DataType": "String", "StringValue": f"a{n}"}})
    assert redrive(sqs, queue, dlq, dry_run=True) == (0, 23)
    assert redrive(sqs, queue, dlq, started_ms=int(time.time() * 1000) + 1000) == (23, 0)
    moved = sqs.receive_message(QueueUrl=queue, MessageAttributeNames=["All"], MaxNumberOfMessages=1)["Messages"][0]
    assert moved["MessageAttributes"]["article_id"]["StringValue"].startswith("a")
    assert sorted(bodies(queue) + [moved["Body"]]) == sorted(f'{{"n": {n}}}' for n in range(23))
    assert bodies(dlq) == []


def test_messages_that_arrive_during_a_redrive_stay_for_the_next(stack):
    sqs = boto3.client("sqs")
    queue, dlq = stack.queue_url("IngestQueue"), stack.queue_url("IngestDLQ")
    sqs.send_message(QueueUrl=dlq, MessageBody="old")
    started = int(time.time() * 1000) + 1000
    time.sleep(0.01)
    assert redrive(sqs, queue, dlq, started_ms=started) == (1, 0)
    sqs.send_message(QueueUrl=dlq, MessageBody="failed again")
    assert redrive(sqs, queue, dlq, started_ms=started - 5000) == (0, 1)
    assert bodies(dlq) == ["failed again"]
