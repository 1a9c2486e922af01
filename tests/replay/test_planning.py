"""Replay planning without AWS: modes, filters, the message shape and the cursor."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from article_pipeline.events import IngestRecordModel, sources_of
from article_pipeline.records import Throttled, pipeline_rank
from article_pipeline.replay_planning import (
    Candidate,
    Continuation,
    IndexSpec,
    ListingSpec,
    ReplayRequest,
    ReplaySettings,
    SourcePage,
    decide,
    notification,
    plan,
    source_for,
    step,
)

SETTINGS = ReplaySettings(bucket="b", table="t", ingest_queue_url="q", replay_queue_url="r", region="us-east-1",
                          pipeline_version="0.2.0", model_version="3.8.0", scan_budget=100)
T0 = datetime(2026, 11, 1, tzinfo=timezone.utc)


def record(status="processed", version="0.2.0", model="3.8.0", etag="e1", sequencer="0A"):
    return {
        "status": status,
        "pipeline_rank": pipeline_rank(version, model if status == "processed" else None),
        "source": {"bucket": "b", "key": "incoming/a.txt", "etag": etag, "version_id": "v1", "sequencer": sequencer},
    }


def candidate(rec=None, key="incoming/a.txt", etag='"e1"', when=T0):
    return Candidate(key=key, bucket="b", size=5, etag=etag, last_modified=when, record=rec)


@pytest.mark.parametrize(
    ("mode", "rec", "expected"),
    [
        ("missing", None, (True, "no_record")),
        ("missing", record(), (False, "has_record")),
        ("missing", record(etag="older"), (True, "changed")),
        ("failed", record(status="failed"), (True, "failed")),
        ("failed", record(), (False, "not_failed")),
        ("stale", record(), (False, "current")),
        ("stale", record(version="0.1.9"), (True, "stale")),
        ("stale", record(model="3.7.1"), (True, "stale")),
        ("stale", record(version="0.10.0"), (False, "current")),
        ("stale", record(status="failed"), (False, "current")),  # a failure carries no model version
        ("stale", record(status="failed", version="0.1.0"), (True, "stale")),
        ("stale", {**record(), "pipeline_rank": None}, (True, "stale")),
        ("all", record(), (True, "all")),
        ("all", None, (True, "no_record")),
    ],
)
def test_each_mode_selects_what_it_says(mode, rec, expected):
    assert decide(candidate(rec), ReplayRequest(mode=mode), SETTINGS) == expected


def test_prefix_and_window_filter_before_the_mode():
    request = ReplayRequest(mode="all", prefix="2026/", since="2026-10-01", until=T0)
    assert decide(candidate(key="incoming/2025/a.txt"), request, SETTINGS) == (False, "outside_prefix")
    assert decide(candidate(key="incoming/2026/a.txt", when=T0), request, SETTINGS) == (False, "outside_window")
    assert decide(candidate(key="incoming/2026/a.txt", when=datetime(2026, 10, 5, tzinfo=timezone.utc)), request, SETTINGS)[0]
    assert decide(candidate(key="incoming/2026/"), request, SETTINGS) == (False, "folder")


def test_requests_are_strict():
    assert ReplayRequest(prefix="incoming/x/").key_prefix == "incoming/x/"
    assert ReplayRequest(since="2026-11-01").since == T0  # naive times are UTC, as LastModified is
    for bad in ({"mode": "everything"}, {"limt": 3}, {"since": "2026-11-02", "until": "2026-11-01"}, {"limit": 0}):
        with pytest.raises(ValidationError):
            ReplayRequest.model_validate(bad)


def test_within_is_a_window_ending_now_fixed_when_the_run_starts():
    before = datetime.now(timezone.utc)
    request = ReplayRequest.model_validate({"mode": "missing", "within": "P2D"})
    assert request.within is None and before - timedelta(days=2) <= request.since <= datetime.now(timezone.utc) - timedelta(days=2)
    # a continuation carries the window it started with
    assert ReplayRequest.model_validate(request.model_dump(mode="json")).since == request.since
    recent, old = candidate(when=before - timedelta(hours=30)), candidate(when=before - timedelta(days=3))
    assert decide(recent, request, SETTINGS) == (True, "no_record")
    assert decide(old, request, SETTINGS) == (False, "outside_window")
    assert plan(request, SETTINGS) == [ListingSpec("incoming/", since=request.since)]
    assert ReplayRequest.model_validate({"within": ""}).since is None  # an empty lookback: everything
    with pytest.raises(ValidationError):
        ReplayRequest.model_validate({"within": "P1D", "since": "2026-11-01"})


def test_record_modes_query_the_index_unless_a_window_needs_the_listing():
    assert plan(ReplayRequest(mode="missing"), SETTINGS) == [ListingSpec("incoming/")]
    assert plan(ReplayRequest(mode="failed"), SETTINGS) == [IndexSpec("failed")]
    assert plan(ReplayRequest(mode="stale"), SETTINGS) == [
        IndexSpec("processed", pipeline_rank("0.2.0", "3.8.0")),
        IndexSpec("failed", pipeline_rank("0.2.0", None)),
    ]
    assert plan(ReplayRequest(mode="failed", since=T0), SETTINGS) == [ListingSpec("incoming/", since=T0)]
    assert ListingSpec("incoming/", since=T0).wants_record("incoming/a.txt", T0)
    assert not ListingSpec("incoming/", until=T0).wants_record("incoming/a.txt", T0)


def test_the_message_is_an_s3_notification_the_clean_stage_parses():
    rec = record()
    body = notification(source_for(candidate(rec, key="incoming/café news +1%.txt")), "us-east-1", "r1", T0)
    sqs_record = {
        "messageId": "m", "receiptHandle": "h", "body": json.dumps(body), "md5OfBody": "x",
        "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1", "SenderId": "s", "ApproximateFirstReceiveTimestamp": "1"},
        "messageAttributes": {}, "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:1:q", "awsRegion": "us-east-1",
    }
    (source,) = sources_of(IngestRecordModel.model_validate(sqs_record).body)
    # The stored record's version and sequencer: Store sees the same event again.
    assert (source.key, source.version_id, source.sequencer) == ("incoming/a.txt", "v1", "0A")
    fresh = source_for(candidate(None, key="incoming/café news +1%.txt"))
    assert (fresh.key, fresh.version_id, fresh.etag) == ("incoming/café news +1%.txt", None, "e1")
    changed = source_for(candidate(record(etag="older")))
    assert (changed.version_id, changed.etag, changed.sequencer) == (None, "e1", "0A")


class FakeListing:
    """A sorted bucket listing paged like ListObjectsV2 with StartAfter."""

    def __init__(self, count: int) -> None:
        self.keys = [f"incoming/{n:05d}.txt" for n in range(count)]
        self.pages = 0

    def __call__(self, spec, after, limit):
        self.pages += 1
        start = self.keys.index(after) + 1 if after else 0
        chunk = self.keys[start : start + limit]
        more = start + limit < len(self.keys)
        return SourcePage([candidate(None, key=k) for k in chunk], chunk[-1] if more else None)


def run_to_end(job, fetch, sent, settings=SETTINGS):
    invocations = 0
    while True:
        invocations += 1
        result = step(job, settings=settings, fetch=fetch, send=lambda chunk: sent.extend(c.key for c in chunk))
        job = result.job
        if result.done:
            return job.summary, invocations
        # What goes through ReplayQueue is JSON: the cursor must survive it.
        job = Continuation.model_validate_json(job.model_dump_json())


def test_a_replay_over_budget_continues_and_sends_each_object_once():
    listing, sent = FakeListing(1234), []
    summary, invocations = run_to_end(Continuation.start(ReplayRequest(mode="missing")), listing, sent)
    assert sent == listing.keys
    assert (summary.scanned, summary.enqueued, summary.invocations, invocations) == (1234, 1234, 13, 13)


def test_a_throttled_table_hands_the_page_to_the_next_invocation():
    listing, sent = FakeListing(1234), []
    fetch_page = listing.__call__
    throttled = {"left": 3}

    def fetch(*args):
        if throttled["left"] and listing.pages in (2, 5):
            throttled["left"] -= 1
            raise Throttled("DynamoDB throttled batch_get_item")
        return fetch_page(*args)

    summary, invocations = run_to_end(Continuation.start(ReplayRequest(mode="missing")), fetch, sent)
    assert sent == listing.keys  # each object once, none skipped
    assert summary.done and invocations > 13


def test_limit_stops_the_whole_replay_and_dry_run_sends_nothing():
    listing, sent = FakeListing(250), []
    summary, _ = run_to_end(Continuation.start(ReplayRequest(mode="all", limit=120)), listing, sent)
    assert sent == listing.keys[:120] and summary.limit_reached and summary.enqueued == 120
    sent.clear()
    summary, _ = run_to_end(Continuation.start(ReplayRequest(mode="all", dry_run=True)), listing, sent)
    assert sent == [] and summary.enqueued == 250 and summary.dry_run


def test_a_run_near_its_timeout_hands_over_without_losing_its_place():
    listing, sent = FakeListing(30), []
    job = Continuation.start(ReplayRequest(mode="missing"))
    first = step(job, settings=SETTINGS, fetch=listing, send=lambda c: sent.extend(x.key for x in c), time_left_ms=lambda: 1_000)
    assert not first.done and first.scanned == 0 and listing.pages == 0
    summary, _ = run_to_end(first.job, listing, sent)
    assert sent == listing.keys and summary.invocations == 2
