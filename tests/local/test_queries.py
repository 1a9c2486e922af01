"""`show` and `search` answer with GetItem and Query: after inserts, re-processing and deletes."""

from __future__ import annotations

import boto3
import pytest

from article_pipeline.models import ArticleRecord, Entity, PipelineInfo, Source, article_id_for
from article_pipeline.records import delete_record, put_record
from article_pipeline_local.queries import search, show


def article(key: str, entities: dict[str, str], version: str = "0.1.0") -> ArticleRecord:
    return ArticleRecord(
        article_id=article_id_for("b", key),
        status="processed",
        source=Source(bucket="b", key=key),
        title=f"Title of {key}",
        entities=[Entity(name=name, label=label, count=1, salience=0.5) for name, label in entities.items()],
        pipeline=PipelineInfo(version=version, model="en_core_web_sm", model_version="3.8.0"),
        processed_at="t",
    )


@pytest.fixture
def table(stack, monkeypatch):
    dynamodb = boto3.client("dynamodb")
    calls: list[str] = []
    dynamodb.meta.events.register("before-call.dynamodb.*", lambda model, **_: calls.append(model.name))
    return dynamodb, stack.table, calls


def ids(rows) -> set[str]:
    return {row["article_id"] for row in rows}


def test_search_follows_inserts_reprocessing_and_deletes(table):
    dynamodb, name, calls = table
    a = article("incoming/a.txt", {"Jacinda Ardern": "PERSON", "Wellington": "GPE"})
    b = article("incoming/b.txt", {"jacinda  ardern": "PERSON", "Auckland": "GPE"})
    put_record(dynamodb, name, a)
    put_record(dynamodb, name, b)
    assert ids(search(dynamodb, name, "Jacinda Ardern")) == {a.article_id, b.article_id}
    assert ids(search(dynamodb, name, "JACINDA ARDERN", label="PERSON")) == {a.article_id, b.article_id}
    assert search(dynamodb, name, "Jacinda Ardern", label="ORG") == []

    # Re-processed by a newer pipeline: Wellington is gone from a, Ardern is now an ORG there.
    put_record(dynamodb, name, article("incoming/a.txt", {"Jacinda Ardern": "ORG", "Auckland": "GPE"}, version="0.2.0"))
    assert ids(search(dynamodb, name, "Wellington")) == set()
    assert ids(search(dynamodb, name, "Auckland")) == {a.article_id, b.article_id}
    assert ids(search(dynamodb, name, "Jacinda Ardern", label="PERSON")) == {b.article_id}
    assert ids(search(dynamodb, name, "Jacinda Ardern", label="ORG")) == {a.article_id}

    delete_record(dynamodb, name, b.article_id)
    assert ids(search(dynamodb, name, "Auckland")) == {a.article_id}
    assert show(dynamodb, name, "b", "incoming/b.txt") is None
    assert show(dynamodb, name, "b", a.article_id)["title"] == "Title of incoming/a.txt"
    assert show(dynamodb, name, "b", "incoming/a.txt")["article_id"] == a.article_id
    assert "Scan" not in calls
