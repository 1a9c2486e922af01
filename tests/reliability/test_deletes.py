"""Deletes are retractions: the record says "deleted", search and the documents forget the
article, a late or redriven older upload never brings it back, and an upload after it does."""

from __future__ import annotations

import json

from article_pipeline import aws
from article_pipeline.models import StageMessage
from article_pipeline.records import find_by_entity
from article_pipeline.replay_planning import Candidate, ReplayRequest, decide
from support import LEDGER, SAMPLE

KEY = "incoming/retracted/harbour-bridge.txt"


def documents(chain) -> list[str]:
    s3, bucket = aws.client("s3"), chain.pipeline.stack.bucket
    found = []
    for prefix in ("cleaned/", "extracted/"):
        found += [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])]
    return found


def created_event(chain, source) -> str:
    """The ObjectCreated notification S3 sent for ``source``, as a redrive would send it again."""
    obj = {"key": source.key, "size": source.size, "eTag": source.etag, "sequencer": source.sequencer}
    if source.version_id:
        obj["versionId"] = source.version_id
    return json.dumps({"Records": [{
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1", "eventTime": "2026-12-02T00:00:00.000Z",
        "eventName": "ObjectCreated:Put", "s3": {"s3SchemaVersion": "1.0", "configurationId": "c",
                                                "bucket": {"name": source.bucket, "arn": f"arn:aws:s3:::{source.bucket}"}, "object": obj},
    }]})


def searchable(chain, names) -> set[str]:
    dynamodb, table = aws.client("dynamodb"), chain.pipeline.stack.table
    return {name for name in names if any(i["article_id"] == chain.dropped[KEY] for i in find_by_entity(dynamodb, table, name))}


def test_a_delete_retracts_the_article_and_an_older_upload_never_brings_it_back(chain):
    chain.drop(KEY, SAMPLE.read_bytes())
    chain.settle()
    first = chain.record(KEY)
    assert first.status == "processed" and first.entities and first.source.sequencer
    names = [entity.name for entity in first.entities]
    assert searchable(chain, names) == set(names)

    aws.client("s3").delete_object(Bucket=chain.pipeline.stack.bucket, Key=KEY)  # a delete marker: versioned bucket
    chain.settle()
    gone = chain.record(KEY)
    assert gone.status == "deleted" and gone.deleted_at
    assert (gone.text, gone.entities, gone.figures, gone.images, gone.error) == (None, [], [], [], None)
    assert gone.source.key == KEY and gone.source.sequencer > first.source.sequencer
    assert searchable(chain, names) == set()
    assert documents(chain) == []

    # The first upload's event, late or redriven from a DLQ: the retraction stands.
    aws.client("sqs").send_message(QueueUrl=chain.pipeline.stack.queue_url("IngestQueue"), MessageBody=created_event(chain, first.source))
    chain.settle()
    assert chain.record(KEY).status == "deleted"
    assert searchable(chain, names) == set()

    # A replay never re-enqueues it...
    record = {"status": "deleted", "source": gone.source.model_dump(), "pipeline_rank": "x"}
    for mode in ("missing", "stale", "failed", "all"):
        candidate = Candidate(bucket=gone.source.bucket, key=KEY, record=record, listed=False)
        assert decide(candidate, ReplayRequest(mode=mode), _settings()) == (False, "deleted")

    # ...but an upload after the delete is an article again.
    chain.drop(KEY, SAMPLE.read_bytes())
    chain.settle()
    again = chain.record(KEY)
    assert again.status == "processed" and again.source.sequencer > gone.source.sequencer
    assert searchable(chain, names) == set(names)
    LEDGER.fault_kinds.add("a delete, a late older upload, an upload after the delete")


def test_a_delete_of_an_old_version_is_no_retraction(chain):
    s3, bucket = aws.client("s3"), chain.pipeline.stack.bucket
    chain.drop(KEY, SAMPLE.read_bytes())
    chain.settle()
    old = s3.list_object_versions(Bucket=bucket, Prefix=KEY)["Versions"][0]["VersionId"]
    chain.drop(KEY, SAMPLE.read_bytes() + b"\n\nAn update.")
    chain.settle()
    s3.delete_object(Bucket=bucket, Key=KEY, VersionId=old)  # ObjectRemoved:Delete of a noncurrent version
    chain.settle()
    assert chain.record(KEY).status == "processed"
    assert "An update." in chain.record(KEY).text


def test_a_deletion_message_carries_no_document():
    message = StageMessage(article_id="a", source={"bucket": "b", "key": "incoming/a.txt"}, deleted=True, inline_document={})
    assert not message.has_document


def _settings():
    from article_pipeline.replay_planning import ReplaySettings

    return ReplaySettings(bucket="b", table="t", ingest_queue_url="q", replay_queue_url="r", region="us-east-1", model_version="3.8.0")
