"""The Extract stage's S3 and SQS round trips: overlapped within a batch, outcomes per message."""

import dataclasses
import threading
import time

import boto3
import pytest

from article_pipeline.documents import put_document
from article_pipeline.models import CleanedArticle, CleanedDocument, DocumentRef, Extraction, Source, StageMessage
from article_pipeline.settings import Settings
from article_pipeline.stages import extract as stage


class CountingS3:
    """An S3 client that notes how many reads are in progress at once; the read of
    ``failing_key`` fails as a network error would."""

    def __init__(self, client, delay: float = 0.02, failing_key: str | None = None) -> None:
        self.client, self.delay, self.failing_key = client, delay, failing_key
        self.lock = threading.Lock()
        self.active = self.most = 0

    def get_object(self, **params):
        with self.lock:
            self.active += 1
            self.most = max(self.most, self.active)
        try:
            time.sleep(self.delay)  # a network round trip
            if params["Key"] == self.failing_key:
                raise ConnectionError("network down")
            return self.client.get_object(**params)
        finally:
            with self.lock:
                self.active -= 1

    def __getattr__(self, name):
        return getattr(self.client, name)


@pytest.fixture
def batch(stack, monkeypatch):
    s3 = boto3.client("s3")
    monkeypatch.setattr(stage, "extract_articles", lambda nlp, articles, **_: [Extraction() for _ in articles])
    monkeypatch.setattr(stage, "model_info", lambda nlp: ("en_core_web_sm", "3.8.0"))
    messages = {}
    for n in range(8):
        source = Source(bucket=stack.bucket, key=f"incoming/{n}.txt")
        ref = DocumentRef(bucket=stack.bucket, key=f"cleaned/a{n}.json")
        if n != 3:  # article 3's document is gone (a retraction took it)
            document = CleanedDocument(article_id=f"a{n}", source=source, content_sha256="0" * 64, article=CleanedArticle(text=f"Text {n}."))
            put_document(s3, ref, document)
        messages[f"m{n}"] = StageMessage(article_id=f"a{n}", source=source, document=ref)
    settings = Settings(bucket=stack.bucket, extracted_queue_url=stack.queue_url("ExtractedQueue"))
    return messages, settings


def _messages(stack) -> list[StageMessage]:
    sqs = boto3.client("sqs")
    found = []
    while batch := sqs.receive_message(QueueUrl=stack.queue_url("ExtractedQueue"), MaxNumberOfMessages=10).get("Messages"):
        found += [StageMessage.model_validate_json(m["Body"]) for m in batch]
    return found


def _received(stack) -> list[str]:
    return sorted(message.article_id for message in _messages(stack))


def test_reads_overlap_and_each_message_gets_its_own_outcome(stack, batch):
    messages, settings = batch
    s3 = CountingS3(boto3.client("s3"), failing_key="cleaned/a6.json")
    outcomes = stage.extract_batch(messages, nlp=None, s3=s3, sqs=boto3.client("sqs"), settings=settings)
    assert s3.most > 1
    assert set(outcomes) == set(messages)
    # A read that failed is retried by SQS; the others went on, the gone document's as a failure.
    assert isinstance(outcomes["m6"], ConnectionError) and all(outcomes[m] is None for m in messages if m != "m6")
    assert _received(stack) == [f"a{n}" for n in range(8) if n != 6]


def test_a_gone_document_goes_to_store_as_a_failure_at_once(stack, batch):
    messages, settings = batch
    outcomes = stage.extract_batch(messages, nlp=None, s3=boto3.client("s3"), sqs=boto3.client("sqs"), settings=settings)
    assert outcomes["m3"] is None  # no retries: none could bring the document back
    (gone,) = [m for m in _messages(stack) if m.article_id == "a3"]
    assert (gone.error.stage, gone.error.kind) == ("extract", "retries_exhausted") and not gone.has_document
    assert "no longer exists" in gone.error.message
    # small documents travel in the messages: nothing written to S3
    assert boto3.client("s3").list_objects_v2(Bucket=stack.bucket, Prefix="extracted/")["KeyCount"] == 0


def test_documents_over_the_inline_limit_go_to_s3_and_the_message_names_them(stack, batch):
    messages, settings = batch
    settings = dataclasses.replace(settings, inline_document_bytes=0)
    stage.extract_batch(messages, nlp=None, s3=boto3.client("s3"), sqs=boto3.client("sqs"), settings=settings)
    assert boto3.client("s3").list_objects_v2(Bucket=stack.bucket, Prefix="extracted/")["KeyCount"] == 7
    message = next(m for m in _messages(stack) if m.article_id != "a3")
    assert message.inline_document is None and message.document.key.startswith("extracted/")


def test_one_at_a_time_when_configured(stack, batch):
    messages, settings = batch
    s3 = CountingS3(boto3.client("s3"), delay=0)
    settings = dataclasses.replace(settings, io_concurrency=1)
    outcomes = stage.extract_batch(messages, nlp=None, s3=s3, sqs=boto3.client("sqs"), settings=settings)
    assert s3.most == 1 and sum(o is None for o in outcomes.values()) == 8


def test_a_failed_write_fails_only_its_message(stack, batch):
    messages, settings = batch
    settings = dataclasses.replace(settings, inline_document_bytes=0)
    s3 = boto3.client("s3")

    class FailingPut:
        def put_object(self, **params):
            if params["Key"] == "extracted/a5.json":
                raise ConnectionError("network down")
            return s3.put_object(**params)

        def __getattr__(self, name):
            return getattr(s3, name)

    outcomes = stage.extract_batch(messages, nlp=None, s3=FailingPut(), sqs=boto3.client("sqs"), settings=settings)
    assert isinstance(outcomes["m5"], ConnectionError)
    assert {m for m, o in outcomes.items() if o is None} == {f"m{n}" for n in range(8) if n != 5}
    assert _received(stack) == [f"a{n}" for n in range(8) if n != 5]
