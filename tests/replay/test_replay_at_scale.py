"""ReplayFunction on moto with 2,000 stored articles, invoked through the harness.

The records are written with records.put_record (no spaCy); what is checked is what the
replay puts on IngestQueue: exactly the right objects, each once. A consumer takes the
messages off IngestQueue as they arrive (as CleanFunction's mapping would), which also
keeps moto's queue small: moto recounts a queue's messages on every send.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import boto3
import pytest

from article_pipeline import __version__, aws
from article_pipeline.events import IngestRecordModel, sources_of
from article_pipeline.models import ArticleRecord, PipelineInfo, Source, article_id_for
from article_pipeline.records import delete_record, put_record
from article_pipeline_local.emulation.chain import local_pipeline
from article_pipeline_local.emulation.mappings import drain, lambda_record

ARTICLES = 2000
MODEL_VERSION = "3.8.0"  # what functions/replay's template environment calls deployed
# 2,000 seeded articles shared by the module, and tests that build on each other in order
# (`make test` keeps a file on one worker).
pytestmark = pytest.mark.slow

TIMINGS: dict[str, float] = {}


def stored(source: Source) -> ArticleRecord:
    return ArticleRecord(
        article_id=article_id_for(source.bucket, source.key),
        status="processed",
        source=source,
        text=f"Story {source.key}",
        pipeline=PipelineInfo(version=__version__, model="en_core_web_sm", model_version=MODEL_VERSION),
        processed_at="2026-11-26T00:00:00+00:00",
    )


class IngestConsumer:
    """Takes every message off IngestQueue right after each SendMessageBatch, parsed as Clean parses it."""

    def __init__(self, queue_url: str) -> None:
        self.queue_url = queue_url
        self.sources: list[Source] = []

    def __call__(self, **_: object) -> None:
        self.drain()

    def drain(self) -> None:
        sqs = boto3.client("sqs")
        while batch := sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10, AttributeNames=["All"]).get("Messages"):
            for message in batch:
                record = IngestRecordModel.model_validate(lambda_record(message, "arn:aws:sqs:us-east-1:123456789012:q"))
                self.sources += sources_of(record.body)
            sqs.delete_message_batch(
                QueueUrl=self.queue_url, Entries=[{"Id": m["MessageId"], "ReceiptHandle": m["ReceiptHandle"]} for m in batch]
            )

    def take(self) -> list[Source]:
        self.drain()
        taken, self.sources = self.sources, []
        return taken


@pytest.fixture(scope="module")
def seeded(partition_queries) -> Iterator[tuple]:
    started = time.monotonic()
    with local_pipeline(log_level="WARNING") as pipeline:
        s3, dynamodb = boto3.client("s3"), boto3.client("dynamodb")
        bucket, table, ingest = pipeline.stack.bucket, pipeline.stack.table, pipeline.stack.queue_url("IngestQueue")
        keys = [f"incoming/{n % 7}/article-{n:04d}.txt" for n in range(ARTICLES)]
        consumer = IngestConsumer(ingest)
        # The uploads' own notifications would only be taken off IngestQueue again (this test
        # replays, not ingests): the bucket sends none while seeding, then sends as deployed.
        notifications = s3.get_bucket_notification_configuration(Bucket=bucket)
        notifications.pop("ResponseMetadata")
        s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={})
        for key in keys:
            response = s3.put_object(Bucket=bucket, Key=key, Body=f"Story {key}".encode())
            etag = response["ETag"].strip('"')
            put_record(dynamodb, table, stored(Source(bucket=bucket, key=key, version_id=response["VersionId"], etag=etag)))
        s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=notifications)
        assert consumer.take() == []  # nothing ingested: S3's own test event names no object
        aws.client("sqs").meta.events.register("after-call.sqs.SendMessageBatch", consumer)
        TIMINGS["seed 2000 objects and records"] = time.monotonic() - started
        yield pipeline, keys, consumer


def replay(pipeline, request: dict, label: str, **environment: str) -> tuple[dict, list[dict]]:
    """Invoke ReplayFunction with the schedule's input shape, then play ReplayQueue's mapping.

    ``environment`` stands for a deploy with other settings (a bumped version, a budget).
    Returns the first invocation's summary and every event the function received.
    """
    function = pipeline.functions["ReplayFunction"]
    saved, events = dict(function.environment), []
    original = function.invoke
    function.invoke = lambda event: events.append(event) or original(event)  # type: ignore[method-assign]
    function.environment.update(environment)
    function._handler = None
    try:
        started = time.monotonic()
        first = function.invoke(request)
        drain([poller for poller in pipeline.pollers if poller.function is function])
        TIMINGS[label] = time.monotonic() - started
    finally:
        del function.invoke
        function.environment.clear()
        function.environment.update(saved)
        function._handler = None
    return first, events


def final_summary(first: dict, events: list[dict]) -> dict:
    """The whole replay's totals: the first run's, or those the last continuation carried on."""
    if first["done"]:
        return first
    return json.loads(events[-1]["Records"][0]["body"])["summary"]


def test_missing_replays_exactly_the_deleted_records(seeded):
    pipeline, keys, consumer = seeded
    dynamodb = boto3.client("dynamodb")
    deleted = keys[::20]
    for key in deleted:
        delete_record(dynamodb, pipeline.stack.table, article_id_for(pipeline.stack.bucket, key))
    summary, _ = replay(pipeline, {"mode": "missing"}, "replay missing (100 of 2000)")
    sources = consumer.take()
    assert len(sources) == 100 and sorted(s.key for s in sources) == sorted(deleted)
    assert (summary["scanned"], summary["enqueued"], summary["skipped"]) == (ARTICLES, 100, {"has_record": 1900})
    s3 = boto3.client("s3")
    for source in sources:  # what re-processing them stores again: the version Clean read
        version = s3.head_object(Bucket=source.bucket, Key=source.key)["VersionId"]
        put_record(dynamodb, pipeline.stack.table, stored(source.model_copy(update={"version_id": version})))


def test_stale_finds_nothing_until_the_pipeline_version_is_bumped(seeded):
    pipeline, keys, consumer = seeded
    assert replay(pipeline, {"mode": "stale"}, "replay stale, all current")[0]["enqueued"] == 0
    assert consumer.take() == []

    summary, _ = replay(pipeline, {"mode": "stale"}, "replay stale after a version bump (2000)", PIPELINE_VERSION="99.0.0")
    sources = consumer.take()
    assert len(sources) == ARTICLES and sorted(s.key for s in sources) == sorted(keys)
    assert summary["enqueued_by_reason"] == {"stale": ARTICLES}
    # The stored event goes again (same version and sequencer): Store lets the newer pipeline replace it.
    assert all(s.version_id and s.etag for s in sources)


def test_a_model_upgrade_alone_makes_records_stale(seeded):
    pipeline, _, consumer = seeded
    summary, _ = replay(pipeline, {"mode": "stale", "dry_run": True, "limit": 25}, "dry run, model bump", PIPELINE_MODEL_VERSION="3.9.0")
    assert summary["enqueued_by_reason"] == {"stale": 25} and summary["limit_reached"] and consumer.take() == []


def test_a_replay_over_the_budget_continues_across_invocations(seeded):
    pipeline, keys, consumer = seeded
    first, events = replay(pipeline, {"mode": "all"}, "replay all, budget 300 (2000)", REPLAY_SCAN_BUDGET="300")
    assert not first["done"] and first["scanned"] == 300
    assert len(events) == 7  # ceil(2000 / 300): the first, then six from ReplayQueue
    assert final_summary(first, events)["scanned"] == 1800  # where the last one started
    sources = consumer.take()
    assert len(sources) == ARTICLES and sorted(s.key for s in sources) == sorted(keys)  # each exactly once


def test_limit_and_prefix_narrow_a_replay(seeded):
    pipeline, keys, consumer = seeded
    summary, _ = replay(pipeline, {"mode": "all", "prefix": "3/", "limit": 50}, "replay all, prefix and limit")
    sources = consumer.take()
    assert [s.key for s in sources] == sorted(k for k in keys if k.startswith("incoming/3/"))[:50]
    assert summary["limit_reached"] and summary["enqueued"] == 50


def test_zz_timings(seeded):
    print("\n" + "\n".join(f"  {name}: {seconds:.1f} s" for name, seconds in TIMINGS.items()))

