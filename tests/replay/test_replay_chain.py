"""Replays through the whole chain on moto: the Store stage accepts what the replay sends."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "events" / "seed" / "incoming" / "harbour-bridge.txt"


def deploy(pipeline, **environment: str) -> None:
    """As a deploy of new code would: every function gets the new settings, fresh containers."""
    for function in pipeline.functions.values():
        function.environment.update(environment)
        function._handler = None


def test_failed_and_stale_articles_are_processed_again(pipeline):
    good = pipeline.upload(SAMPLE.read_bytes(), "incoming/harbour-bridge.txt")
    empty = pipeline.upload(b"", "incoming/empty.txt")
    pipeline.drain()
    assert pipeline.record(good).status == "processed"
    failed = pipeline.record(empty)
    assert failed.status == "failed"

    replay = pipeline.functions["ReplayFunction"]
    summary = replay.invoke({"mode": "failed"})
    assert (summary["enqueued"], summary["enqueued_by_reason"]) == (1, {"failed": 1})
    pipeline.drain()
    assert pipeline.record(empty) == failed  # the same failure again changes nothing

    assert replay.invoke({"mode": "stale"})["enqueued"] == 0
    deploy(pipeline, PIPELINE_VERSION="0.3.0")
    summary = replay.invoke({"mode": "stale"})
    assert summary["enqueued"] == 2 and summary["enqueued_by_reason"] == {"stale": 2}
    pipeline.drain()
    assert pipeline.record(good).pipeline.version == "0.3.0"
    assert pipeline.record(empty).pipeline.version == "0.3.0"
    assert replay.invoke({"mode": "stale"})["enqueued"] == 0


def test_a_time_window_reads_last_modified_from_the_listing(pipeline):
    pipeline.upload(SAMPLE.read_bytes(), "incoming/harbour-bridge.txt")
    replay = pipeline.functions["ReplayFunction"]
    summary = replay.invoke({"mode": "all", "until": "2000-01-01T00:00:00Z"})
    assert (summary["scanned"], summary["enqueued"], summary["skipped"]) == (1, 0, {"outside_window": 1})
    summary = replay.invoke({"mode": "failed", "since": "2000-01-01", "dry_run": True})
    assert summary["skipped"] == {"no_record": 1}  # failed + a window: the listing, not the index
