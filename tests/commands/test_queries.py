"""`show` and `search` answer with GetItem and Query: after inserts, re-processing and deletes."""

from __future__ import annotations

import boto3
import pytest

from article_pipeline.models import ArticleRecord, Entity, PipelineInfo, Source, article_id_for
from article_pipeline.records import delete_record, put_record
from article_pipeline_local.commands.queries import search, show


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


def test_recent_pages_newest_first_and_scans_only_without_a_status(table):
    from article_pipeline.models import ErrorInfo
    from article_pipeline_local.commands.queries import recent

    dynamodb, name, calls = table
    for n in range(5):
        record = article(f"incoming/{n}.txt", {f"Name {n}": "PERSON"}).model_copy(update={"processed_at": f"2026-01-0{n + 1}T00:00:00+00:00"})
        if n == 3:
            record = record.model_copy(update={"status": "failed", "error": ErrorInfo(stage="clean", kind="empty", message="empty"), "entities": []})
        put_record(dynamodb, name, record)
    calls.clear()
    rows, total = recent(dynamodb, name, per_page=2)
    assert total == 5 and [row["key"] for row in rows] == ["incoming/4.txt", "incoming/3.txt"]
    assert rows[0]["entity_count"] == 1 and rows[1]["error"]["kind"] == "empty"
    rows, _ = recent(dynamodb, name, page=2, per_page=2)
    assert [row["key"] for row in rows] == ["incoming/0.txt"]
    assert "Scan" in calls

    calls.clear()
    rows, total = recent(dynamodb, name, status="failed")
    assert total == 1 and [row["key"] for row in rows] == ["incoming/3.txt"]
    rows, total = recent(dynamodb, name, status="processed", per_page=10)
    assert total == 4 and [row["key"] for row in rows] == ["incoming/4.txt", "incoming/2.txt", "incoming/1.txt", "incoming/0.txt"]
    assert "Scan" not in calls


def test_article_puts_back_what_store_moved_to_s3(stack):
    from article_pipeline.models import CleanedArticle, ExtractedDocument, Extraction
    from article_pipeline_local.commands.queries import article as read_article

    s3, dynamodb = boto3.client("s3"), boto3.client("dynamodb")
    key = "incoming/huge.txt"
    full = article(key, {"Wellington": "GPE"})
    document = ExtractedDocument(
        article_id=full.article_id, source=full.source, content_sha256="x",
        article=CleanedArticle(text="Wellington, in full."), extraction=Extraction(entities=full.entities), pipeline=full.pipeline,
    )
    key = f"extracted/{full.article_id}.json"
    version = s3.put_object(Bucket=stack.bucket, Key=key, Body=document.model_dump_json())["VersionId"]
    # A later upload's document at the same key: the record still reads the version it names.
    later = document.model_copy(update={"article": CleanedArticle(text="Another text.")})
    s3.put_object(Bucket=stack.bucket, Key=key, Body=later.model_dump_json())
    at = f"s3://{stack.bucket}/{key}?versionId={version}"
    moved = full.model_copy(update={"entities": [], "entities_uri": f"{at}#extraction.entities", "text_uri": f"{at}#article.text"})
    put_record(dynamodb, stack.table, moved, full.entities)
    record = read_article(dynamodb, s3, stack.table, stack.bucket, full.article_id)
    assert record["text"] == "Wellington, in full." and record["entities"][0]["name"] == "Wellington"
    assert "text_uri" not in record and "entities_uri" not in record
    assert read_article(dynamodb, s3, stack.table, stack.bucket, "incoming/none.txt") is None


def test_drop_state_follows_an_upload_through_the_stages(stack):
    from article_pipeline_local.commands.queries import drop_state

    s3, dynamodb = boto3.client("s3"), boto3.client("dynamodb")
    key = "incoming/a.txt"
    state = lambda etag=None: drop_state(s3, dynamodb, stack.table, stack.bucket, key, etag)  # noqa: E731
    assert state()["state"] == "missing"
    etag = s3.put_object(Bucket=stack.bucket, Key=key, Body=b"An article.")["ETag"].strip('"')
    assert state(etag)["state"] == "uploaded"
    article_id = article_id_for(stack.bucket, key)
    s3.put_object(Bucket=stack.bucket, Key=f"cleaned/{article_id}.json", Body=b"{}")
    assert state(etag)["state"] == "cleaned"
    s3.put_object(Bucket=stack.bucket, Key=f"extracted/{article_id}.json", Body=b"{}")
    assert state(etag)["state"] == "extracted"
    record = article(key, {}).model_copy(update={"article_id": article_id, "source": Source(bucket=stack.bucket, key=key, etag=etag)})
    put_record(dynamodb, stack.table, record)
    assert state(etag) == {"key": key, "article_id": article_id, "state": "stored", "error": None}
    # A record of an earlier upload of the key is not this upload's.
    assert state("0" * 32)["state"] == "extracted"


def test_an_identity_is_called_by_the_name_its_id_was_made_from():
    from article_pipeline_local.commands.queries import display_name

    # As often "Howard" as "Michael Howard": the names sort "Howard" first, the id says otherwise.
    assert display_name("person:michael-howard", ["Howard", "Michael Howard"]) == "Michael Howard"
    assert display_name("person:tony-blair", ["Mr Blair", "Prime Minister Tony Blair"]) == "Prime Minister Tony Blair"
    assert display_name("geonames:3143244", ["Oslo", "Christiania"]) == "Oslo"
    assert display_name("org:un", []) == "org:un"
