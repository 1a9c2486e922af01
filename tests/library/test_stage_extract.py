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
    """An S3 client that notes how many reads are in progress at once."""

    def __init__(self, client, delay: float = 0.02) -> None:
        self.client, self.delay = client, delay
        self.lock = threading.Lock()
        self.active = self.most = 0

    def get_object(self, **params):
        with self.lock:
            self.active += 1
            self.most = max(self.most, self.active)
        try:
            time.sleep(self.delay)  # a network round trip
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
        if n != 3:  # article 3's document is missing
            document = CleanedDocument(article_id=f"a{n}", source=source, content_sha256="0" * 64, article=CleanedArticle(text=f"Text {n}."))
            put_document(s3, ref, document)
        messages[f"m{n}"] = StageMessage(article_id=f"a{n}", source=source, document=ref)
    settings = Settings(bucket=stack.bucket, extracted_queue_url=stack.queue_url("ExtractedQueue"))
    return messages, settings


def _received(stack) -> list[str]:
    sqs = boto3.client("sqs")
    bodies = []
    while batch := sqs.receive_message(QueueUrl=stack.queue_url("ExtractedQueue"), MaxNumberOfMessages=10).get("Messages"):
        bodies += [StageMessage.model_validate_json(m["Body"]).article_id for m in batch]
    return sorted(bodies)


def test_reads_overlap_and_each_message_gets_its_own_outcome(stack, batch):
    messages, settings = batch
    s3 = CountingS3(boto3.client("s3"))
    outcomes = stage.extract_batch(messages, nlp=None, s3=s3, sqs=boto3.client("sqs"), settings=settings)
    assert s3.most > 1
    assert set(outcomes) == set(messages)
    assert outcomes["m3"] is not None and all(outcomes[m] is None for m in messages if m != "m3")
    assert _received(stack) == [f"a{n}" for n in range(8) if n != 3]
    extracted = boto3.client("s3").list_objects_v2(Bucket=stack.bucket, Prefix="extracted/")["KeyCount"]
    assert extracted == 7


def test_one_at_a_time_when_configured(stack, batch):
    messages, settings = batch
    s3 = CountingS3(boto3.client("s3"), delay=0)
    settings = dataclasses.replace(settings, io_concurrency=1)
    outcomes = stage.extract_batch(messages, nlp=None, s3=s3, sqs=boto3.client("sqs"), settings=settings)
    assert s3.most == 1 and sum(o is None for o in outcomes.values()) == 7


def test_a_failed_write_fails_only_its_message(stack, batch):
    messages, settings = batch
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
    assert {m for m, o in outcomes.items() if o is None} == {f"m{n}" for n in range(8) if n not in (3, 5)}
    assert _received(stack) == [f"a{n}" for n in range(8) if n not in (3, 5)]
