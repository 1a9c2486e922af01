"""Faults injected into the functions' own AWS clients (and into spaCy) on moto.

Each test ends with the chain fixture's accounting: every dropped article has a record or
a message in a DLQ, and no record was written twice with the same content.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import quote_plus

import pytest
from spacy.language import Language

from article_pipeline import records
from article_pipeline.models import ArticleRecord, PipelineInfo, Source
from support import LEDGER

ARTICLE = (
    "Tram Line Opens In Tartu\n\n"
    "The first tram line in Tartu opened on Friday, the city council said, after two years of work costing "
    "EUR 48 million. Mayor Urmas Klaas said 9,000 people are expected to ride it every day.\n"
)


def article(n: int) -> bytes:
    return ARTICLE.replace("Friday", f"Friday, day {n},").encode()


def deliveries(chain, function: str) -> Counter[str]:
    """Count, per message body's key or article id, how often ``function`` received it."""
    seen: Counter[str] = Counter()
    local = chain.pipeline.functions[function]
    original = local.invoke

    def counting(event):
        for record in event["Records"]:
            for key, article_id in chain.dropped.items():
                if any(token in record["body"] for token in (article_id, key, quote_plus(key))):
                    seen[key] += 1
        return original(event)

    local.invoke = counting
    return seen


def processed(chain, *keys: str) -> bool:
    return all(chain.record(key) is not None and chain.record(key).status == "processed" for key in keys)


def test_s3_get_object_throttling(chain, inject):
    injected = inject("s3", "GetObject", times=2, code="SlowDown")
    chain.drop("incoming/tram.txt", article(1))
    chain.settle()
    assert injected["failed"] == 2 and processed(chain, "incoming/tram.txt")
    LEDGER.fault_kinds.add("S3 GetObject throttling")


def test_sqs_send_failing_for_part_of_a_batch(chain, inject):
    keys = [f"incoming/tram-{n}.txt" for n in range(4)]
    injected = inject(
        "sqs", "SendMessage", times=2, code="InternalError", predicate=lambda p: p["QueueUrl"].endswith("CleanedQueue")
    )
    seen = deliveries(chain, "CleanFunction")
    for n, key in enumerate(keys):
        chain.drop(key, article(n))
    chain.settle()
    assert injected["failed"] == 2 and processed(chain, *keys)
    assert sorted(seen.values()) == [1, 1, 2, 2]  # only the two failed records came back
    LEDGER.fault_kinds.add("SQS SendMessage failing for part of a batch")


def test_dynamodb_throughput_exceeded(chain, inject):
    injected = inject("dynamodb", "PutItem", times=2, code="ProvisionedThroughputExceededException")
    chain.drop("incoming/tram.txt", article(1))
    chain.settle()
    assert injected["failed"] == 2 and processed(chain, "incoming/tram.txt")
    assert sum(chain.watcher.writes.values()) == 1
    LEDGER.fault_kinds.add("DynamoDB throughput exceeded")


def test_conditional_check_race_between_two_writers(chain):
    from article_pipeline import aws

    dynamodb, table = aws.client("dynamodb"), chain.pipeline.stack.table

    def record(sequencer: str, at: str) -> ArticleRecord:
        return ArticleRecord(
            article_id="race",
            status="processed",
            source=Source(bucket="b", key="incoming/race.txt", sequencer=sequencer),
            text=f"version {sequencer}",
            pipeline=PipelineInfo(version="1"),
            processed_at=at,
        )

    # Both writers read "no record" and build their item; the newer event's writer wins the
    # race, the older one's conditional put then fails instead of overwriting it.
    newer, older = record("00B2", "t2"), record("00B1", "t1")
    assert records.put_record(dynamodb, table, newer)
    assert not records.put_record(dynamodb, table, older)
    # Two writers of the same event: the second changes nothing.
    assert not records.put_record(dynamodb, table, record("00B2", "t3"))
    assert records.get_record(dynamodb, table, "race").processed_at == "t2"
    assert chain.watcher.doubles == 0
    LEDGER.fault_kinds.add("conditional check race between two writers")


def test_exception_on_one_record_retries_only_that_record(chain, monkeypatch):
    from article_pipeline.stages import clean

    real, failures = clean.clean_article, Counter()

    def flaky(raw, *, key, content_type=None):
        if "poison" in key and not failures[key]:
            failures[key] += 1
            raise RuntimeError("injected failure on one record")
        return real(raw, key=key, content_type=content_type)

    monkeypatch.setattr(clean, "clean_article", flaky)
    seen = deliveries(chain, "CleanFunction")
    keys = ["incoming/a.txt", "incoming/poison.txt", "incoming/b.txt"]
    for n, key in enumerate(keys):
        chain.drop(key, article(n))
    chain.settle()
    assert processed(chain, *keys)
    assert seen == {"incoming/a.txt": 1, "incoming/poison.txt": 2, "incoming/b.txt": 1}
    LEDGER.fault_kinds.add("exception on one record of a batch")


@Language.component("injected_poison_pill")
def poison_pill(doc):
    if "poison" in doc.text:
        raise ValueError("injected spaCy failure")
    return doc


@pytest.fixture
def poisoned_nlp(chain):
    module = chain.pipeline.functions["ExtractFunction"].module()
    module.nlp.add_pipe("injected_poison_pill", first=True)
    yield
    module.nlp.remove_pipe("injected_poison_pill")


def test_spacy_failing_on_one_text(chain, poisoned_nlp):
    chain.drop("incoming/good.txt", article(1))
    chain.drop("incoming/bad.txt", ARTICLE.replace("Friday", "poison day").encode())
    chain.settle()
    assert processed(chain, "incoming/good.txt")
    failed = chain.record("incoming/bad.txt")
    assert (failed.status, failed.error.stage) == ("failed", "extract")
    LEDGER.fault_kinds.add("spaCy failing on one text")


def test_handler_running_out_of_time(chain, monkeypatch):
    from article_pipeline_local.emulation import runtime

    calls = Counter()
    real = runtime.LambdaContext.get_remaining_time_in_millis

    def first_call_nearly_out_of_time(self):
        calls[self.aws_request_id] += 1
        if self.function_name == "CleanFunction" and len(calls) == 1:
            return 500  # the first invocation is about to time out
        return real(self)

    monkeypatch.setattr(runtime.LambdaContext, "get_remaining_time_in_millis", first_call_nearly_out_of_time)
    seen = deliveries(chain, "CleanFunction")
    keys = [f"incoming/late-{n}.txt" for n in range(3)]
    for n, key in enumerate(keys):
        chain.drop(key, article(n))
    chain.settle()
    assert processed(chain, *keys)
    assert set(seen.values()) == {2}  # refused once near the deadline, processed on redelivery
    LEDGER.fault_kinds.add("handler running out of time")


def test_transient_failure_that_never_clears_ends_in_dlq_with_a_failed_record(chain, inject):
    inject("s3", "GetObject", times=1000, code="InternalError", predicate=lambda p: "stuck" in p["Key"])
    chain.drop("incoming/stuck.txt", article(1))
    chain.drop("incoming/fine.txt", article(2))
    chain.settle()
    record = chain.record("incoming/stuck.txt")
    assert (record.status, record.error.stage, record.error.kind) == ("failed", "clean", "retries_exhausted")
    assert chain.in_dlq("incoming/stuck.txt")
    assert processed(chain, "incoming/fine.txt")
    LEDGER.fault_kinds.add("transient failure through every retry")


def test_table_down_leaves_the_message_in_the_dlq(chain, inject):
    inject("dynamodb", "PutItem", times=1000, code="InternalServerError")
    chain.drop("incoming/unstored.txt", article(1))
    chain.settle()
    assert chain.record("incoming/unstored.txt") is None
    assert chain.in_dlq("incoming/unstored.txt")  # not lost: redrive once the table is back
    LEDGER.fault_kinds.add("DynamoDB unavailable through every retry")
