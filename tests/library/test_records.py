"""The DynamoDB adapter: conditional, idempotent writes and entity lookups by Query."""

from __future__ import annotations

import boto3
import pytest

from article_pipeline.models import ArticleRecord, Entity, PipelineInfo, Source
from article_pipeline.records import find_by_entity, get_record, order_key, put_record


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


def test_sequencers_compare_at_equal_length():
    assert order_key("FF") > order_key("0A1") < order_key("0A2")


def test_a_repeated_write_restores_entity_items_a_crash_left_out(table):
    dynamodb, name = table
    put_record(dynamodb, name, record())
    dynamodb.delete_item(TableName=name, Key={"pk": {"S": "ARTICLE#a1"}, "sk": {"S": "ENTITY#GPE#bergen"}})
    assert find_by_entity(dynamodb, name, "Bergen") == []
    assert not put_record(dynamodb, name, record(at="t2"))  # the redelivery writes no record...
    assert [item["article_id"] for item in find_by_entity(dynamodb, name, "Bergen")] == ["a1"]  # ...but heals the index
