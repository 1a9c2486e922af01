"""The DynamoDB adapter: conditional, idempotent writes and entity lookups by Query."""

from __future__ import annotations

import time

import boto3
import pytest
from botocore.exceptions import ClientError

from article_pipeline import records
from article_pipeline.models import ArticleRecord, Entity, PipelineInfo, Source
from article_pipeline.records import Backoff, Throttled, find_by_entity, get_record, order_key, put_record


def record(sequencer: str = "0055AED6DCD90281E5", version: str = "1", entities=("Bergen",), at: str = "t1"):
    return ArticleRecord(
        article_id="a1",
        status="processed",
        source=Source(bucket="b", key="incoming/a.txt", sequencer=sequencer),
        title="Storm in Bergen",
        text="Storm in Bergen.",
        entities=[Entity(name=name, label="GPE", count=1) for name in entities],
        pipeline=PipelineInfo(version=version, model="en_core_web_sm", model_version="3.8.0"),
        processed_at=at,
    )


@pytest.fixture
def table(stack):
    return boto3.client("dynamodb"), stack.table


def test_round_trip_keeps_every_field(table):
    dynamodb, name = table
    original = record().model_copy(update={"figures": []})
    assert put_record(dynamodb, name, original)
    assert get_record(dynamodb, name, "a1") == original


def test_same_input_twice_changes_nothing(table):
    dynamodb, name = table
    assert put_record(dynamodb, name, record(at="t1"))
    assert not put_record(dynamodb, name, record(at="t2"))
    assert get_record(dynamodb, name, "a1").processed_at == "t1"


def test_older_event_never_replaces_newer(table):
    dynamodb, name = table
    assert put_record(dynamodb, name, record(sequencer="0055AED6DCD90281F0", at="new"))
    assert not put_record(dynamodb, name, record(sequencer="0055AED6DCD90281E5", version="2", at="old"))
    assert get_record(dynamodb, name, "a1").processed_at == "new"


def test_newer_pipeline_version_replaces_and_entity_items_follow(table):
    dynamodb, name = table
    put_record(dynamodb, name, record(entities=("Bergen", "Oslo")))
    assert put_record(dynamodb, name, record(version="2", entities=("Bergen",), at="t2"))
    assert [item["article_id"] for item in find_by_entity(dynamodb, name, "bergen")] == ["a1"]
    assert find_by_entity(dynamodb, name, "Oslo") == []
    assert find_by_entity(dynamodb, name, "Bergen", label="PERSON") == []


def test_the_answer_names_the_documents_no_stored_record_names(table):
    dynamodb, name = table
    old, new, again = ([f"s3://b/cleaned/a1.json?versionId={n}"] for n in (1, 2, 3))
    first = put_record(dynamodb, name, record(at="t1"), documents=old)
    assert first and first.discard == ()
    newer = put_record(dynamodb, name, record(sequencer="0055AED6DCD90281F0", at="t2"), documents=new)
    assert newer and newer.discard == tuple(old)  # the replaced record's
    late = put_record(dynamodb, name, record(at="t3"), documents=old)
    assert not late and late.discard == tuple(old)  # a writer that lost: its own
    # The same write again (a duplicate upload's chain): its own equal documents, and what the
    # stored record's writer had to delete, in case it crashed before it did.
    duplicate = put_record(dynamodb, name, record(sequencer="0055AED6DCD90281F0", at="t4"), documents=again)
    assert not duplicate and set(duplicate.discard) == {*old, *again}
    redelivered = put_record(dynamodb, name, record(sequencer="0055AED6DCD90281F0", at="t5"), documents=new)
    assert not redelivered and redelivered.discard == tuple(old)  # never the stored record's own
    assert get_record(dynamodb, name, "a1").processed_at == "t2"


def test_sequencers_compare_at_equal_length():
    assert order_key("FF") > order_key("0A1") < order_key("0A2")


def test_a_repeated_write_restores_entity_items_a_crash_left_out(table):
    dynamodb, name = table
    put_record(dynamodb, name, record())
    dynamodb.delete_item(TableName=name, Key={"pk": {"S": "NAME#bergen"}, "sk": {"S": "bergen|place:bergen#a1"}})
    assert find_by_entity(dynamodb, name, "Bergen") == []
    assert not put_record(dynamodb, name, record(at="t2"))  # the redelivery writes no record...
    assert [item["article_id"] for item in find_by_entity(dynamodb, name, "Bergen")] == ["a1"]  # ...but heals the index


def test_a_record_from_before_identities_is_found_by_name_then_reindexed_by_a_newer_pipeline(table):
    from article_pipeline_local.commands.queries import search

    dynamodb, name = table
    put_record(dynamodb, name, record(version="0.1.0"))
    # What pipeline 0.1.0 wrote: ENTITY#<name> items, listed as <label>#<name> refs.
    for item in dynamodb.scan(TableName=name)["Items"]:
        if item["sk"]["S"] != "RECORD":
            dynamodb.delete_item(TableName=name, Key={"pk": item["pk"], "sk": item["sk"]})
    legacy = {"pk": {"S": "ENTITY#bergen"}, "sk": {"S": "GPE#a1"}, "article_id": {"S": "a1"}, "name": {"S": "Bergen"},
              "label": {"S": "GPE"}, "count": {"N": "1"}, "salience": {"N": "1"}, "generation": {"N": "1"}}
    dynamodb.put_item(TableName=name, Item=legacy)
    dynamodb.update_item(TableName=name, Key={"pk": {"S": "ARTICLE#a1"}, "sk": {"S": "RECORD"}},
                         UpdateExpression="SET entity_index = :refs", ExpressionAttributeValues={":refs": {"B": records._pack_refs(["GPE#bergen"])}})
    assert [row["article_id"] for row in search(dynamodb, name, "Bergen")] == ["a1"]  # found meanwhile
    assert put_record(dynamodb, name, record(version="0.2.0"))  # the stale replay's record
    keys = {(item["pk"]["S"], item["sk"]["S"]) for item in dynamodb.scan(TableName=name)["Items"] if item["sk"]["S"] != "RECORD"}
    assert keys == {("NAME#bergen", "bergen|place:bergen#a1")}  # the old item went with its record
    assert [row["article_id"] for row in search(dynamodb, name, "Bergen")] == ["a1"]


def test_items_are_what_the_serializer_makes_of_the_json_round_trip():
    import json
    from decimal import Decimal

    from boto3.dynamodb.types import TypeSerializer

    from article_pipeline.records import _to_item

    def reference(data):
        plain = json.loads(json.dumps(data), parse_float=Decimal)
        return {key: TypeSerializer().serialize(value) for key, value in plain.items() if value is not None}

    data = {
        "text": "Bergen \u00e9t\u00e9 \u2603", "empty": "", "gone": None, "yes": True, "no": False,
        "ints": [0, -3, 10**20], "floats": [0.0, -0.0, 0.1, 1e-7, 1e22, 123456789.123, 2.0**53],
        "nested": {"none": None, "list": [{"start": 1, "end": 2}, [], {}], "salience": 0.3333333333333333, 7: "seven"},
    }
    assert _to_item(data) == reference(data)
    with pytest.raises(TypeError):
        _to_item({"salience": float("nan")})


def test_the_fingerprint_is_the_record_without_its_clocks():
    import hashlib
    import json

    from article_pipeline.records import fingerprint

    original = record(at="t1")
    payload = original.model_dump(mode="json", exclude={"processed_at", "deleted_at"})
    expected = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    assert fingerprint(original) == fingerprint(original, original.model_dump(mode="json")) == expected
    assert fingerprint(record(at="t2")) == expected


class Recording:
    """A DynamoDB client that records each call; ``unprocessed`` puts back that many entity
    writes of each BatchWriteItem, for ``times`` calls, as DynamoDB does when throttled."""

    def __init__(self, client, unprocessed: int = 0, times: int = 0) -> None:
        self.client, self.unprocessed, self.times = client, unprocessed, times
        self.calls: list[tuple[str, dict]] = []

    def __getattr__(self, name):
        def call(**params):
            self.calls.append((name, params))
            if name == "batch_write_item" and self.times:
                self.times -= 1
                ((table, requests),) = params["RequestItems"].items()
                kept, left = requests[: -self.unprocessed], requests[-self.unprocessed :]
                if kept:
                    self.client.batch_write_item(RequestItems={table: kept})
                return {"UnprocessedItems": {table: left}}
            return getattr(self.client, name)(**params)

        return getattr(self.client, name) if name == "get_paginator" else call


def test_the_record_item_carries_its_bulky_fields_once_compressed(table):
    dynamodb, name = table
    client = Recording(dynamodb)
    text = " ".join(f"Storm number {n} hit Bergen." for n in range(400))
    put_record(client, name, record(entities=("Bergen", "Oslo")).model_copy(update={"text": text}))
    (_, params), *_ = [c for c in client.calls if c[0] == "put_item"]
    item = params["Item"]
    assert not {"text", "entities", "figures", "removed", "images", "warnings"} & set(item)
    assert len(item["bulk"]["B"]) < len(text) / 4
    assert item["title"] == {"S": "Storm in Bergen"} and item["status"] == {"S": "processed"}
    assert get_record(dynamodb, name, "a1").text == text


def test_entity_items_are_the_index_no_secondary_copy(table):
    dynamodb, name = table
    put_record(dynamodb, name, record(entities=("Bergen",)))
    item = dynamodb.get_item(TableName=name, Key={"pk": {"S": "NAME#bergen"}, "sk": {"S": "bergen|place:bergen#a1"}})["Item"]
    assert item["article_id"] == {"S": "a1"} and item["title"] == {"S": "Storm in Bergen"}
    indexes = dynamodb.describe_table(TableName=name)["Table"].get("GlobalSecondaryIndexes", [])
    assert [index["IndexName"] for index in indexes] == ["StatusIndex"]


class EntityThrottling:
    """A DynamoDB client whose entity-item writes (``operation``) are throttled without end."""

    def __init__(self, client, operation: str) -> None:
        self.client, self.operation = client, operation

    def __getattr__(self, name):
        method = getattr(self.client, name)
        if name != self.operation:
            return method

        def call(**params):
            key = params.get("Item") or params.get("Key") or {}
            if key.get("sk", {}).get("S") != "RECORD":
                raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}}, name)
            return method(**params)

        call.__name__ = name
        return call


def cut_short_replacement(dynamodb, name) -> None:
    """Version 1 names Bergen and Oslo; version 2's record is written, then its writer dies
    before it deletes Oslo's item."""
    put_record(dynamodb, name, record(entities=("Bergen", "Oslo")))
    with pytest.raises(Throttled, match="throttled"):
        put_record(
            EntityThrottling(dynamodb, "delete_item"), name, record(version="2", entities=("Bergen",), at="t2"),
            wait_until=time.monotonic() + 0.5,
        )
    assert get_record(dynamodb, name, "a1").pipeline.version == "2"
    assert len(find_by_entity(dynamodb, name, "Oslo")) == 1


def test_a_replacement_cut_short_deletes_its_stale_entity_items_on_redelivery(table, waits):
    dynamodb, name = table
    cut_short_replacement(dynamodb, name)
    assert not put_record(dynamodb, name, record(version="2", entities=("Bergen",), at="t3"))
    assert find_by_entity(dynamodb, name, "Oslo") == []
    assert [item["article_id"] for item in find_by_entity(dynamodb, name, "Bergen")] == ["a1"]


def test_a_replacement_cut_short_is_healed_by_the_next_version_too(table, waits):
    """The crashed writer's message is never redelivered as the winner (a newer version came
    first): the newer version deletes what the crashed one had to."""
    dynamodb, name = table
    cut_short_replacement(dynamodb, name)
    assert put_record(dynamodb, name, record(version="3", entities=("Bergen", "Tromso"), at="t3"))
    assert find_by_entity(dynamodb, name, "Oslo") == []


def test_an_articles_many_updates_make_a_bounded_number_of_deletes(table):
    """Each update deletes the items it drops and those its predecessor dropped, no more:
    carried forever, the 30th update of an article with churning names made 58 deletes."""
    dynamodb, name = table
    client = Recording(dynamodb)
    for n in range(1, 31):
        client.calls.clear()
        put_record(client, name, record(sequencer=f"{n:018X}", entities=("Bergen", f"Town {n}", f"Person {n}")))
    deletes = [params for call, params in client.calls if call == "delete_item"]
    assert len(deletes) == 4  # Town 29 and Person 29, and again Town 28 and Person 28
    assert find_by_entity(dynamodb, name, "Town 29") == [] and len(find_by_entity(dynamodb, name, "Town 30")) == 1


def test_entity_items_are_conditional_puts_carrying_the_generation(table):
    dynamodb, name = table
    client = Recording(dynamodb)
    names = [f"Place {n}" for n in range(30)]
    assert put_record(client, name, record(entities=names))
    puts = [params for call, params in client.calls if call == "put_item" and params["Item"]["sk"]["S"] != "RECORD"]
    assert len(puts) == 30 and all(p["Item"]["generation"] == {"N": "1"} for p in puts)
    assert all("generation <= :mine" in p["ConditionExpression"] for p in puts)
    assert len(find_by_entity(dynamodb, name, "Place 29")) == 1


def test_entity_writes_throttled_fail_the_write_and_a_redelivery_heals_them(table, waits):
    dynamodb, name = table
    with pytest.raises(Throttled):
        put_record(
            EntityThrottling(dynamodb, "put_item"), name, record(entities=("Bergen", "Oslo")),
            wait_until=time.monotonic() + 0.5,
        )
    # The record is stored, its entity items are missing: the Store record fails, SQS redelivers...
    assert get_record(dynamodb, name, "a1") is not None
    assert find_by_entity(dynamodb, name, "Oslo") == []
    # ...and the same write again stores no record but writes the missing entity items.
    assert not put_record(dynamodb, name, record(entities=("Bergen", "Oslo"), at="t2"))
    assert [item["article_id"] for item in find_by_entity(dynamodb, name, "Oslo")] == ["a1"]


class Throttling:
    """A DynamoDB client whose ``operation`` answers ProvisionedThroughputExceeded ``times`` times."""

    def __init__(self, client, operation: str, times: int) -> None:
        self.client, self.operation, self.left, self.calls = client, operation, times, 0

    def __getattr__(self, name):
        method = getattr(self.client, name)
        if name != self.operation:
            return method

        def call(**params):
            self.calls += 1
            if self.left > 0:
                self.left -= 1
                raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}}, name)
            return method(**params)

        call.__name__ = name
        return call


@pytest.fixture
def waits(monkeypatch):
    """The backoff's sleeps, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(records.time, "sleep", slept.append)
    return slept


@pytest.mark.parametrize("operation", ["put_item", "get_item"])
def test_a_throttled_write_waits_and_goes_through(table, waits, operation):
    dynamodb, name = table
    client = Throttling(dynamodb, operation, times=6)
    assert put_record(client, name, record(entities=("Bergen", "Oslo")))
    # six throttled calls, then the record (its read, put and re-read) and its entity items
    assert client.calls > 6 and len(waits) == 6
    assert [item["article_id"] for item in find_by_entity(dynamodb, name, "Oslo")] == ["a1"]
    # full jitter under a ceiling that doubles: 0.05, 0.1, 0.2 ... at most 5 s
    assert all(0 <= wait <= min(0.05 * 2**n, 5.0) for n, wait in enumerate(waits))


def test_throttling_past_the_deadline_is_a_transient_failure(table, waits):
    dynamodb, name = table
    client = Throttling(dynamodb, "put_item", times=10_000)
    with pytest.raises(Throttled, match="put_item"):
        put_record(client, name, record(), wait_until=time.monotonic() + 0.2)
    assert get_record(dynamodb, name, "a1") is None


def test_other_errors_are_not_waited_out(table, waits):
    dynamodb, name = table

    class Broken(Throttling):
        def __getattr__(self, name):
            if name != "put_item":
                return getattr(self.client, name)

            def call(**params):
                raise ClientError({"Error": {"Code": "ValidationException", "Message": "no"}}, name)

            return call

    with pytest.raises(ClientError, match="ValidationException"):
        put_record(Broken(dynamodb, "put_item", 0), name, record())
    assert waits == []


def test_backoff_stops_before_its_deadline(monkeypatch):
    # A clock that only the backoff's sleeps move: a busy machine's late wake-ups cannot
    # push the test past its deadline.
    now = [1000.0]
    monkeypatch.setattr(records.time, "monotonic", lambda: now[0])
    monkeypatch.setattr(records.time, "sleep", lambda seconds: now.__setitem__(0, now[0] + seconds))
    backoff = Backoff(until=now[0] + 0.3)
    with pytest.raises(Throttled):
        while True:
            backoff.wait("a test")
    assert now[0] - 1000.0 <= 0.3 and backoff.waits >= 2
