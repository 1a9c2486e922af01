"""Deletes are retractions: the record says "deleted", search and the documents forget the
article, a late or redriven older upload never brings it back, and an upload after it does."""

from __future__ import annotations

import json

import pytest

from article_pipeline import aws
from article_pipeline.models import StageMessage
from article_pipeline.replay_planning import Candidate, ReplayRequest, decide
from article_pipeline_local.commands.queries import search
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
    return {name for name in names if any(row["article_id"] == chain.dropped[KEY] for row in search(dynamodb, table, name))}


def document_versions(chain) -> list[tuple[str, str]]:
    """Every version under cleaned/ and extracted/, noncurrent ones too, with the version of
    the upload each was made from."""
    s3, bucket = aws.client("s3"), chain.pipeline.stack.bucket
    found = []
    for prefix in ("cleaned/", "extracted/"):
        for version in s3.list_object_versions(Bucket=bucket, Prefix=prefix).get("Versions", []):
            body = s3.get_object(Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"])["Body"].read()
            found.append((version["Key"].split("/", 1)[0], json.loads(body)["source"]["version_id"]))
    return sorted(found)


def claim_checks(chain) -> None:
    """Every document in S3 and named by its message, as a long article's is."""
    for function in chain.pipeline.functions.values():
        function.environment["INLINE_DOCUMENT_BYTES"] = "0"


@pytest.mark.parametrize("in_s3", [False, True], ids=["inline documents", "documents in S3"])
def test_a_delete_retracts_the_article_and_an_older_upload_never_brings_it_back(chain, in_s3):
    if in_s3:
        claim_checks(chain)
    chain.drop(KEY, SAMPLE.read_bytes())
    chain.settle()
    if in_s3:
        assert len(documents(chain)) == 2
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
    assert documents(chain) == []  # the late upload's own documents go too
    assert document_versions(chain) == []  # by version: no bytes of the article are left

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
    if in_s3:
        assert document_versions(chain) == [("cleaned", again.source.version_id), ("extracted", again.source.version_id)]
    LEDGER.fault_kinds.add("a delete, a late older upload, an upload after the delete")


def test_only_the_stored_records_documents_stay(chain):
    """A late older upload, and an upload whose Store lost, leave none of their documents:
    under cleaned/ and extracted/ is the stored record's version, no other."""
    claim_checks(chain)
    chain.drop(KEY, SAMPLE.read_bytes())
    chain.settle()
    first = chain.record(KEY)
    chain.drop(KEY, SAMPLE.read_bytes() + b"\n\nAn update.")
    chain.settle()
    second = chain.record(KEY)
    assert "An update." in second.text
    expected = [("cleaned", second.source.version_id), ("extracted", second.source.version_id)]
    assert document_versions(chain) == expected  # the first record's went when it was replaced

    # The first upload's event again, late: its chain puts documents, its record loses.
    aws.client("sqs").send_message(QueueUrl=chain.pipeline.stack.queue_url("IngestQueue"), MessageBody=created_event(chain, first.source))
    chain.settle()
    assert chain.record(KEY).source.version_id == second.source.version_id
    assert document_versions(chain) == expected

    # The second upload's event again (a duplicate delivery): equal documents, which go too.
    aws.client("sqs").send_message(QueueUrl=chain.pipeline.stack.queue_url("IngestQueue"), MessageBody=created_event(chain, second.source))
    chain.settle()
    assert document_versions(chain) == expected


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


def test_a_multi_object_delete_retracts_every_key(chain):
    """`aws s3 rm --recursive` deletes in batches (DeleteObjects): one retraction a key."""
    keys = [f"incoming/retracted/batch-{n}.txt" for n in range(3)]
    for key in keys:
        chain.drop(key, SAMPLE.read_bytes())
    chain.settle()
    aws.client("s3").delete_objects(Bucket=chain.pipeline.stack.bucket, Delete={"Objects": [{"Key": key} for key in keys[:2]]})
    chain.settle()
    assert [chain.record(key).status for key in keys] == ["deleted", "deleted", "processed"]


def test_a_retraction_takes_the_documents_of_a_record_from_before_document_names(chain):
    """A table written by an earlier release: its records name no documents. The retraction
    finds them by reading the article's current documents, older than the delete."""
    claim_checks(chain)
    chain.drop(KEY, SAMPLE.read_bytes())
    chain.settle()
    dynamodb, table = aws.client("dynamodb"), chain.pipeline.stack.table
    dynamodb.update_item(TableName=table, Key={"pk": {"S": f"ARTICLE#{chain.dropped[KEY]}"}, "sk": {"S": "RECORD"}},
                         UpdateExpression="REMOVE documents, document_cleanup")
    assert len(document_versions(chain)) == 2
    aws.client("s3").delete_object(Bucket=chain.pipeline.stack.bucket, Key=KEY)
    chain.settle()
    assert chain.record(KEY).status == "deleted"
    assert document_versions(chain) == []


def test_a_retraction_takes_the_document_of_an_attempt_that_failed_after_its_put(chain, inject):
    """Clean puts its document, then its send fails: the retry puts another version, which the
    record names. Deleting only the named version would make the failed attempt's current
    again (a current version never expires), with the retracted text in it."""
    claim_checks(chain)
    injected = inject("sqs", "SendMessage", times=1, code="InternalError", predicate=lambda p: p["QueueUrl"].endswith("CleanedQueue"))
    chain.drop(KEY, SAMPLE.read_bytes())
    chain.settle()
    assert injected["failed"] == 1 and chain.record(KEY).status == "processed"
    assert [prefix for prefix, _ in document_versions(chain)] == ["cleaned", "cleaned", "extracted"]
    aws.client("s3").delete_object(Bucket=chain.pipeline.stack.bucket, Key=KEY)
    chain.settle()
    assert chain.record(KEY).status == "deleted"
    assert document_versions(chain) == []
    LEDGER.fault_kinds.add("a retraction after a send failed past its document's put")


def test_an_older_upload_on_its_way_when_the_retraction_takes_its_document_ends_without_a_dlq(chain):
    """The retraction took the document an older upload's message still names: Extract ends
    that message at once, as a failure that loses to the retraction, instead of retrying it
    into the DLQ."""
    from article_pipeline.messaging import send_message
    from article_pipeline.models import DocumentRef

    claim_checks(chain)
    chain.drop(KEY, SAMPLE.read_bytes())
    chain.settle()
    first = chain.record(KEY)
    s3, bucket = aws.client("s3"), chain.pipeline.stack.bucket
    key = f"cleaned/{chain.dropped[KEY]}.json"
    (version,) = s3.list_object_versions(Bucket=bucket, Prefix=key)["Versions"]
    s3.delete_object(Bucket=bucket, Key=KEY)
    chain.settle()
    assert document_versions(chain) == []

    late = StageMessage(article_id=chain.dropped[KEY], source=first.source, content_sha256="0" * 64,
                        document=DocumentRef(bucket=bucket, key=key, version_id=version["VersionId"]))
    send_message(aws.client("sqs"), chain.pipeline.stack.queue_url("CleanedQueue"), late)
    chain.settle()
    assert chain.record(KEY).status == "deleted"
    assert chain.dead_letters() == {name: [] for name in chain.dead_letters()}
    LEDGER.fault_kinds.add("a document gone before its stage read it")
