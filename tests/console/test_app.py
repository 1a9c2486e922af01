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


def person(name: str, identity: str | None, text: str, salience: float = 0.5, aliases=()) -> Entity:
    at = text.index(name)
    return Entity(id=identity, name=name, label="PERSON", count=1, salience=salience, aliases=list(aliases), mentions=[Mention(start=at, end=at + len(name))])


@pytest.fixture
def quists(stack):
    """Two made-up people sharing a surname, and an article that says only "Quist"."""
    dynamodb = boto3.client("dynamodb")
    oslo = Entity(id="geonames:3143244", name="Oslo", label="GPE", count=1, salience=0.3)

    def put(key: str, text: str, entities: list[Entity], published: str | None, processed_at: str) -> ArticleRecord:
        item = record(key, stack.bucket, status="processed", title=f"About {key}", text=text, entities=entities,
                      published=published, processed_at=processed_at)
        put_record(dynamodb, stack.table, item)
        return item

    text = "Ada Quist spoke in Oslo."
    older = put("incoming/ada-1.txt", text, [person("Ada Quist", "person:ada-quist", text, 0.9), oslo], "2026-01-03", "2026-01-03T09:00:00+00:00")
    text = "Ada Quist joined Nordbank in Oslo."
    at = text.index("Nordbank")
    # Nordbank without an id, as Extract wrote entities before identities: its id is derived.
    nordbank = Entity(name="Nordbank", label="ORG", count=1, salience=0.4, mentions=[Mention(start=at, end=at + 8)])
    newest = put("incoming/ada-2.txt", text, [person("Ada Quist", "person:ada-quist", text, 0.8), nordbank, oslo], "2026-01-05", "2026-01-05T09:00:00+00:00")
    text = "Quist said little in Oslo."
    # Published the same day as the older one, processed later: it comes before it.
    surname = put("incoming/quist.txt", text, [person("Quist", "person:quist", text), oslo], "2026-01-03", "2026-01-09T09:00:00+00:00")
    text = "Bo Quist runs Nordbank."
    bo = put("incoming/bo.txt", text, [person("Bo Quist", "person:bo-quist", text), nordbank], "2026-01-04", "2026-01-04T09:00:00+00:00")
    return {"older": older, "newest": newest, "surname": surname, "bo": bo}


def tree(body: str):
    from lxml import html

    return html.fromstring(body)


CO_OCCURRING = "//table[@class='co-occurring']/tbody/tr"


def test_search_groups_a_shared_surname_by_identity(client, quists):
    body = page(client.get("/search?entity=Quist"))
    sections = tree(body).xpath("//section[@class='identity']")
    # The surname-only article joins the Quist the archive names most: Ada, 3 articles, first.
    assert [section.get("data-identity") for section in sections] == ["person:ada-quist", "person:bo-quist"]
    ada, bo = sections
    assert ada.xpath("h2/a/@href")[0] == "/entities/person:ada-quist"
    assert "3 articles" in ada.xpath("string(h2)") and "1 article" in bo.xpath("string(h2)")
    assert "also written" in ada.text_content() and "Quist" in ada.xpath("string(p[@class='names'])")
    linked = lambda section: set(section.xpath(".//table[@class='results']//a/@href"))  # noqa: E731
    assert linked(ada) == {f"/articles/{quists[k].article_id}" for k in ("older", "newest", "surname")}
    assert linked(bo) == {f"/articles/{quists['bo'].article_id}"}
    assert "2 identities" in body

    only = tree(page(client.get("/search?entity=Quist&id=person:bo-quist")))
    assert [section.get("data-identity") for section in only.xpath("//section[@class='identity']")] == ["person:bo-quist"]
    assert "No article mentions" in page(client.get("/search?entity=Zed+Nobody"))
    assert "No article mentions" in page(client.get("/search?entity=Quist&label=ORG"))


def test_the_entity_page_shows_names_articles_newest_first_and_who_appears_with_it(client, quists):
    body = page(client.get("/entities/person:ada-quist"))
    found = tree(body)
    assert found.xpath("string(//h1)") == "Ada Quist"
    assert found.xpath("//p[@class='names']/q/text()") == ["Ada Quist", "Quist"]
    rows = found.xpath("//table[@class='articles']/tbody/tr")
    assert [row.get("data-article") for row in rows] == [quists[k].article_id for k in ("newest", "surname", "older")]
    assert rows[0].xpath(".//a/@href")[0] == f"/articles/{quists['newest'].article_id}"
    assert "About incoming/ada-2.txt" in rows[0].text_content() and "2026-01-05" in rows[0].text_content()
    together = {row.get("data-identity"): row.xpath("string(td[@class='num'])") for row in found.xpath(CO_OCCURRING)}
    # Counted once per article; neither Ada herself nor her surname-only id, and not Bo.
    assert together == {"geonames:3143244": "3", "org:nordbank": "1"}
    assert [row.get("data-identity") for row in found.xpath(CO_OCCURRING)] == ["geonames:3143244", "org:nordbank"]
    assert found.xpath("//table[@class='co-occurring']//a[@href='/entities/org:nordbank']")

    # A place's public id routes too, and Nordbank's derived id finds both its articles.
    assert "Oslo" in page(client.get("/entities/geonames:3143244"))
    nordbank = tree(page(client.get("/entities/org:nordbank")))
    assert len(nordbank.xpath("//table[@class='articles']/tbody/tr")) == 2


def test_a_surname_only_identity_points_on_to_the_person_search_counts_it_as(client, quists):
    found = tree(page(client.get("/entities/person:quist")))
    assert [row.get("data-article") for row in found.xpath("//table[@class='articles']/tbody/tr")] == [quists["surname"].article_id]
    assert found.xpath("//p[contains(@class, 'joins')]/a/@href") == ["/entities/person:ada-quist"]
    assert found.xpath("string(//p[contains(@class, 'joins')]/a)") == "Ada Quist"
    assert not tree(page(client.get("/entities/person:ada-quist"))).xpath("//p[contains(@class, 'joins')]")


def test_an_unknown_identity_is_a_clear_404(client, quists):
    for path in ("/entities/person:nobody-at-all", "/entities/nonsense"):
        response = client.get(path)
        assert response.status_code == 404 and "no article names the identity" in response.get_data(as_text=True)


def test_each_entity_mark_links_to_its_entity_page(client, quists):
    found = tree(page(client.get(f"/articles/{quists['newest'].article_id}")))
    links = {a.xpath("string(mark)"): a.get("href") for a in found.xpath("//div[@id='text']/a[@class='entity']")}
    assert links == {"Ada Quist": "/entities/person:ada-quist", "Nordbank": "/entities/org:nordbank"}
    assert found.xpath("//section[@class='entities']//a[@href='/entities/geonames:3143244']")
