"""The console's views over a moto stack, through Flask's test client (the browser test drives the real thing)."""

from __future__ import annotations

import json

import boto3
import pytest

from article_pipeline.models import ArticleRecord, Entity, ErrorInfo, Figure, Mention, PipelineInfo, RemovedText, Source, article_id_for
from article_pipeline.records import put_record
from article_pipeline_local import console
from article_pipeline_local.emulation.remote import Target

HOSTILE = "<script>alert(1)</script> Bridge & <b>Tunnel</b>"
PIPELINE = PipelineInfo(version="0.1.0", model="en_core_web_sm", model_version="3.8.0")


@pytest.fixture
def client(stack):
    target = Target(bucket=stack.bucket, table=stack.table, queues={name: stack.queue_url(name) for name in ("ReplayQueue",)})
    app = console.create_app(target)
    app.testing = True
    return app.test_client()


def record(key: str, bucket: str, **fields) -> ArticleRecord:
    return ArticleRecord(article_id=article_id_for(bucket, key), source=Source(bucket=bucket, key=key), pipeline=PIPELINE, **fields)


@pytest.fixture
def stored(stack):
    dynamodb = boto3.client("dynamodb")
    text = "Oslo closed 3 bridges."
    good = record(
        "incoming/good.txt", stack.bucket, status="processed", processed_at="2026-01-02T00:00:00+00:00", title=HOSTILE, text=text,
        entities=[Entity(name="Oslo", label="GPE", count=1, salience=0.9, mentions=[Mention(start=0, end=4)])],
        figures=[Figure(text="3", value=3.0, unit="bridges", kind="cardinal", subject="bridges", start=12, end=13)],
        removed=[RemovedText(kind="share", text="Share <this>")],
    )
    bad = record(
        "incoming/bad.txt", stack.bucket, status="failed", processed_at="2026-01-01T00:00:00+00:00",
        error=ErrorInfo(stage="clean", kind="empty", message="the object is <empty>"),
    )
    for item in (good, bad):
        put_record(dynamodb, stack.table, item)
    return good, bad


def page(response) -> str:
    assert response.status_code == 200, response.data[:500]
    return response.get_data(as_text=True)


def test_articles_newest_first_filtered_and_escaped(client, stored):
    good, bad = stored
    body = page(client.get("/"))
    assert body.index(good.article_id) < body.index(bad.article_id)
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt; Bridge &amp; &lt;b&gt;Tunnel&lt;/b&gt;" in body
    failed = page(client.get("/?status=failed"))
    assert bad.article_id in failed and good.article_id not in failed
    assert "1 article failed" in failed


def test_article_page_marks_the_text_and_shows_the_removed_boilerplate(client, stored):
    good, _ = stored
    body = page(client.get(f"/articles/{good.article_id}"))
    assert 'data-label="GPE"' in body and ">Oslo</mark>" in body and 'data-figure="0"' in body
    assert "<del>Share &lt;this&gt;</del>" in body and "<script>alert" not in body
    assert client.get("/articles/nope").status_code == 404


def test_a_failed_article_shows_its_error_and_its_replay_button_queues_a_replay(client, stored, stack):
    _, bad = stored
    body = page(client.get(f"/articles/{bad.article_id}"))
    assert "Failed at clean" in body and "the object is &lt;empty&gt;" in body and 'id="replay"' in body
    response = client.post(f"/articles/{bad.article_id}/replay")
    assert response.status_code == 302 and "replayed=" in response.headers["Location"]
    (message,) = boto3.client("sqs").receive_message(QueueUrl=stack.queue_url("ReplayQueue"))["Messages"]
    request = json.loads(message["Body"])["request"]
    assert (request["mode"], request["prefix"]) == ("failed", "bad.txt")


def test_entity_search_and_drop_state(client, stored):
    good, _ = stored
    body = page(client.get("/search?entity=oslo&label=gpe"))
    assert f"/articles/{good.article_id}" in body and "0.90" in body
    assert good.article_id not in page(client.get("/search?entity=oslo&label=ORG"))
    assert page(client.get("/drop")).count('id="dropzone"') == 1
    assert client.get("/api/state?key=incoming/nothing.txt").get_json()["state"] == "missing"
    assert client.get("/api/state?key=cleaned/x.json").status_code == 400


def test_the_replay_form_carries_the_process_token_and_a_cross_site_post_is_refused(stack, stored):
    """The console behind the server's guard: the issue's cross-site replay form gets 403, the page's own form works."""
    import re

    from werkzeug.test import Client

    from article_pipeline_local.emulation.access import AccessGuard, Policy

    _, bad = stored
    policy = Policy.for_bind("127.0.0.1", 4566, console="/_console")
    target = Target(bucket=stack.bucket, table=stack.table, queues={name: stack.queue_url(name) for name in ("ReplayQueue",)})
    app = console.create_app(target, policy.csrf_token)
    guarded = Client(AccessGuard(mounted(app), policy))
    host = {"Host": "127.0.0.1:4566"}
    body = guarded.get(f"/_console/articles/{bad.article_id}", headers=host).get_data(as_text=True)
    (token,) = re.findall(r'name="csrf_token" value="([^"]+)"', body)
    assert token == policy.csrf_token
    assert f'data-csrf-token="{policy.csrf_token}"' in guarded.get("/_console/drop", headers=host).get_data(as_text=True)

    replay = f"/_console/articles/{bad.article_id}/replay"
    sqs = boto3.client("sqs")
    for attack in ({}, {"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}):
        assert guarded.post(replay, headers={**host, **attack}).status_code == 403
        assert guarded.post(replay, data={"csrf_token": "guess"}, headers={**host, **attack}).status_code == 403
    assert not sqs.receive_message(QueueUrl=stack.queue_url("ReplayQueue")).get("Messages")
    same = {**host, "Origin": "http://127.0.0.1:4566", "Sec-Fetch-Site": "same-origin"}
    assert guarded.post(replay, data={"csrf_token": token}, headers=same).status_code == 302
    assert sqs.receive_message(QueueUrl=stack.queue_url("ReplayQueue"))["Messages"]


def mounted(app):
    """The console under its mount, as serve dispatches it."""
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    return DispatcherMiddleware(lambda environ, start_response: start_response("404 Not Found", []) or [], {console.MOUNT: app})
