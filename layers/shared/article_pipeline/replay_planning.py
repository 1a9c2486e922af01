"""Replay planning: which stored articles go back into IngestQueue, and where a run resumes.

Pure: no AWS here. ``stages/replay.py`` supplies the pages (an S3 listing, or a Query of
the table's StatusIndex) and the sender; this module decides, counts and keeps the cursor.

A replay walks one or more *sources* in order. The cursor is (source index, position
after the last page done); it advances only after a page's messages are sent, so a run
that stops for its budget and resumes from the cursor neither skips nor repeats an object.
Index sources walk ``pipeline_rank`` in descending order: re-processing only raises an
article's rank, so an article the replay has passed can never come back ahead of it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Literal
from urllib.parse import quote_plus

from aws_lambda_powertools.utilities.parser.models import SqsRecordModel
from pydantic import BaseModel, ConfigDict, Field, Json, field_validator, model_validator

from . import __version__
from .models import Source, article_id_for
from .records import Throttled, pipeline_rank

Mode = Literal["missing", "stale", "failed", "all"]
INCOMING = "incoming/"
#: SendMessageBatch takes at most ten entries.
SEND_BATCH = 10
#: Items per S3 or DynamoDB page (ListObjectsV2 returns at most 1000).
PAGE_SIZE = 500
#: A run stops taking pages with less than this left before its timeout.
RESERVE_MS = 30_000


class ReplayRequest(BaseModel):
    """What to replay: the schedule's Input, a manual invocation or `article-pipeline replay`."""

    # A typo in a schedule's Input should fail the run, not replay everything.
    model_config = ConfigDict(extra="forbid")

    mode: Mode = "missing"
    #: Key prefix below ``incoming/`` (a leading ``incoming/`` is accepted too).
    prefix: str = ""
    #: Only objects whose LastModified is at or after ``since`` and before ``until``.
    since: datetime | None = None
    until: datetime | None = None
    #: Only objects modified this long before now (an ISO 8601 duration such as "P2D"):
    #: becomes ``since`` when the run starts. The nightly schedule sends it, so that a
    #: "missing" check reads the records of recent uploads only, not of the whole bucket.
    within: timedelta | None = None
    #: At most this many messages for the whole replay.
    limit: int | None = Field(default=None, ge=1)
    #: Count what would be enqueued; send nothing.
    dry_run: bool = False

    @field_validator("since", "until")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)  # S3's LastModified is UTC
        return value

    @field_validator("within", mode="before")
    @classmethod
    def _no_lookback(cls, value: Any) -> Any:
        return None if value == "" else value  # the template's empty ReplayLookback: everything

    @field_validator("prefix")
    @classmethod
    def _below_incoming(cls, value: str) -> str:
        value = value.lstrip("/")
        return value[len(INCOMING) :] if value.startswith(INCOMING) else value

    @model_validator(mode="after")
    def _window(self) -> "ReplayRequest":
        if self.within is not None:
            if self.since is not None:
                raise ValueError("give since or within, not both")
            # Fixed once: a replay continued through ReplayQueue keeps the same window.
            self.since, self.within = datetime.now(timezone.utc) - self.within, None
        if self.since and self.until and self.since >= self.until:
            raise ValueError("since must be before until")
        return self

    @property
    def key_prefix(self) -> str:
        return INCOMING + self.prefix

    def in_window(self, last_modified: datetime | None) -> bool:
        if last_modified is None:
            return True
        return (self.since is None or last_modified >= self.since) and (self.until is None or last_modified < self.until)


class Cursor(BaseModel):
    """Where the next run resumes: the source, and the position after its last page done."""

    source: int = 0
    #: An S3 key (StartAfter) or a DynamoDB ExclusiveStartKey.
    after: str | dict[str, Any] | None = None


class Summary(BaseModel):
    replay_id: str
    mode: Mode
    dry_run: bool = False
    scanned: int = 0
    #: Sent (or, in a dry run, that would be sent), by why.
    enqueued: int = 0
    enqueued_by_reason: dict[str, int] = Field(default_factory=dict)
    skipped: dict[str, int] = Field(default_factory=dict)
    invocations: int = 0
    done: bool = False
    limit_reached: bool = False


class Continuation(BaseModel):
    """A ReplayQueue message: the rest of a replay that one invocation could not cover."""

    version: Literal[1] = 1
    request: ReplayRequest
    cursor: Cursor = Field(default_factory=Cursor)
    summary: Summary

    @classmethod
    def start(cls, request: ReplayRequest, replay_id: str | None = None) -> "Continuation":
        summary = Summary(replay_id=replay_id or uuid.uuid4().hex, mode=request.mode, dry_run=request.dry_run)
        return cls(request=request, summary=summary)

    @model_validator(mode="before")
    @classmethod
    def _a_bare_request_starts_afresh(cls, data: Any) -> Any:
        """A scheduled run that failed lands in ReplayDLQ as its bare input: redriven into
        ReplayQueue, it starts that replay instead of failing back into the DLQ."""
        if isinstance(data, dict) and "request" not in data:
            return cls.start(ReplayRequest.model_validate(data)).model_dump()
        return data


class ContinuationRecordModel(SqsRecordModel):
    body: Json[Continuation]  # type: ignore[assignment]


@dataclass(frozen=True)
class ReplaySettings:
    bucket: str
    table: str
    ingest_queue_url: str
    replay_queue_url: str
    region: str
    #: The deployed pipeline: code version (the shared layer's) and model version.
    pipeline_version: str = __version__
    model_version: str | None = None
    scan_budget: int = 20_000

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "ReplaySettings":
        env = os.environ if env is None else env
        return cls(
            bucket=env.get("ARTICLES_BUCKET", ""),
            table=env.get("ARTICLES_TABLE", ""),
            ingest_queue_url=env.get("INGEST_QUEUE_URL", ""),
            replay_queue_url=env.get("REPLAY_QUEUE_URL", ""),
            region=env.get("AWS_REGION", "us-east-1"),
            pipeline_version=env.get("PIPELINE_VERSION") or __version__,
            model_version=env.get("PIPELINE_MODEL_VERSION") or None,
            scan_budget=int(env.get("REPLAY_SCAN_BUDGET") or 20_000),
        )

    def rank(self, status: str) -> str:
        """The rank a record of ``status`` made by the deployed pipeline has (failed ones carry no model)."""
        return pipeline_rank(self.pipeline_version, self.model_version if status == "processed" else None)


# ---------------------------------------------------------------- sources


@dataclass(frozen=True)
class Candidate:
    """One object (from a listing) or one record (from the index) the replay looks at."""

    key: str
    bucket: str
    size: int | None = None
    etag: str | None = None
    last_modified: datetime | None = None
    #: The stored record's ``status``, ``pipeline_rank`` and ``source`` (None: no record).
    record: dict[str, Any] | None = None
    listed: bool = True

    @property
    def article_id(self) -> str:
        return article_id_for(self.bucket, self.key)


@dataclass
class SourcePage:
    candidates: list[Candidate]
    #: Resume after this (None: the source is exhausted).
    next_after: str | dict[str, Any] | None


@dataclass(frozen=True)
class ListingSpec:
    """Objects under ``incoming/<prefix>`` in key order; records are looked up only for
    those modified within [since, until), since BatchGetItem pays for whole items."""

    prefix: str
    since: datetime | None = None
    until: datetime | None = None

    def wants_record(self, key: str, last_modified: datetime | None) -> bool:
        window = ReplayRequest.model_construct(since=self.since, until=self.until)
        return not key.endswith("/") and window.in_window(last_modified)


@dataclass(frozen=True)
class IndexSpec:
    """Records of one status in StatusIndex, newest rank first, below ``below`` if set."""

    status: str
    below: str | None = None


SourceSpec = ListingSpec | IndexSpec


def plan(request: ReplayRequest, settings: ReplaySettings) -> list[SourceSpec]:
    """The sources a request walks.

    ``missing`` and ``all`` are about objects, so they list S3. ``failed`` and ``stale``
    are about records, so they Query the index, unless a time window asks for
    LastModified, which only the listing has.
    """
    if request.mode in ("missing", "all") or request.since or request.until:
        return [ListingSpec(request.key_prefix, request.since, request.until)]
    if request.mode == "failed":
        return [IndexSpec("failed")]
    return [IndexSpec("processed", settings.rank("processed")), IndexSpec("failed", settings.rank("failed"))]


# ---------------------------------------------------------------- decisions


def _etag(value: str | None) -> str | None:
    return value.strip('"') if value else None


def is_stale(record: Mapping[str, Any], settings: ReplaySettings) -> bool:
    rank = record.get("pipeline_rank")
    if not rank:
        return True  # written before ranks existed
    return rank < settings.rank(record.get("status", "failed"))


def decide(candidate: Candidate, request: ReplayRequest, settings: ReplaySettings) -> tuple[bool, str]:
    """(enqueue?, reason): the reason is counted under ``enqueued_by_reason`` or ``skipped``."""
    if candidate.key.endswith("/"):
        return False, "folder"
    if not candidate.key.startswith(request.key_prefix):
        return False, "outside_prefix"
    if not request.in_window(candidate.last_modified):
        return False, "outside_window"
    record = candidate.record
    if record is not None and record.get("status") == "deleted":
        if not candidate.listed:
            return False, "deleted"  # a retraction is never brought back by a replay
        record = None  # uploaded again since the retraction: as if it had no record
    if request.mode == "all":
        return True, "no_record" if record is None else "all"
    if record is None:
        return (True, "no_record") if request.mode == "missing" else (False, "no_record")
    if request.mode == "missing":
        stored = _etag((record.get("source") or {}).get("etag"))
        if candidate.listed and stored and candidate.etag and stored != _etag(candidate.etag):
            return True, "changed"  # overwritten, and that upload's event was lost
        return False, "has_record"
    if request.mode == "failed":
        return (True, "failed") if record.get("status") == "failed" else (False, "not_failed")
    return (True, "stale") if is_stale(record, settings) else (False, "current")


def source_for(candidate: Candidate) -> Source:
    """What the replay message announces.

    The stored record's object version and sequencer when the record describes the object
    as listed: the Store stage then sees the same S3 event and lets only a newer pipeline
    replace the record. An object with no record, or changed since, is read at its latest
    version; the record's sequencer still goes along so the write is not taken for older.
    """
    record_source = (candidate.record or {}).get("source") or {}
    same = not candidate.listed or not candidate.etag or _etag(record_source.get("etag")) in (None, _etag(candidate.etag))
    if record_source and same:
        return Source.model_validate({**record_source, "bucket": record_source.get("bucket") or candidate.bucket})
    return Source(
        bucket=candidate.bucket,
        key=candidate.key,
        etag=_etag(candidate.etag),
        size=candidate.size,
        sequencer=record_source.get("sequencer"),
    )


def notification(source: Source, region: str, replay_id: str, event_time: datetime) -> dict[str, Any]:
    """An S3 ObjectCreated notification, as the Clean stage parses it (events.IngestRecordModel)."""
    # The parser requires size and eTag on ObjectCreated events; Clean re-reads both anyway.
    obj: dict[str, Any] = {"key": quote_plus(source.key, safe="/"), "size": source.size or 0, "eTag": source.etag or ""}
    for name, value in (("versionId", source.version_id), ("sequencer", source.sequencer)):
        if value is not None:
            obj[name] = value
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": region,
                "eventTime": event_time.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "eventName": "ObjectCreated:Put",
                "s3": {
                    "s3SchemaVersion": "1.0",
                    # Where S3 names its notification configuration: says who sent this.
                    "configurationId": f"article-pipeline-replay-{replay_id}",
                    "bucket": {"name": source.bucket, "arn": f"arn:aws:s3:::{source.bucket}"},
                    "object": obj,
                },
            }
        ]
    }


# ---------------------------------------------------------------- the run


Fetch = Callable[[SourceSpec, "str | dict[str, Any] | None", int], SourcePage]
Send = Callable[[list[Candidate]], None]


@dataclass
class StepResult:
    job: Continuation
    #: What this invocation did (the summary holds the whole replay's totals).
    scanned: int = 0
    enqueued: int = 0

    @property
    def done(self) -> bool:
        return self.job.summary.done


def _chunks(items: list[Candidate], size: int) -> Iterator[list[Candidate]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _count(counter: dict[str, int], reason: str) -> None:
    counter[reason] = counter.get(reason, 0) + 1


def step(
    job: Continuation,
    *,
    settings: ReplaySettings,
    fetch: Fetch,
    send: Send,
    time_left_ms: Callable[[], int] = lambda: 10**9,
) -> StepResult:
    """Run one invocation's share of a replay; the returned job is the rest (or done).

    Pages are no larger than what is left of the scan budget, and the time check happens
    between pages, so a run never stops inside a page: the cursor is always a page boundary.
    """
    job = job.model_copy(deep=True)
    request, cursor, summary = job.request, job.cursor, job.summary
    summary.invocations += 1
    result = StepResult(job)
    sources = plan(request, settings)
    while cursor.source < len(sources):
        if request.limit is not None and summary.enqueued >= request.limit:
            summary.limit_reached = True
            break
        budget = settings.scan_budget - result.scanned
        if budget <= 0 or time_left_ms() < RESERVE_MS:
            return result
        try:
            page = fetch(sources[cursor.source], cursor.after, min(PAGE_SIZE, budget))
        except Throttled:
            return result  # the table is at its capacity: the next invocation resumes at this page
        selected: list[Candidate] = []
        for candidate in page.candidates:
            if request.limit is not None and summary.enqueued + len(selected) >= request.limit:
                summary.limit_reached = True
                break
            result.scanned += 1
            summary.scanned += 1
            enqueue, reason = decide(candidate, request, settings)
            if enqueue:
                selected.append(candidate)
                _count(summary.enqueued_by_reason, reason)
            else:
                _count(summary.skipped, reason)
        if not request.dry_run:
            for chunk in _chunks(selected, SEND_BATCH):
                send(chunk)
        summary.enqueued += len(selected)
        result.enqueued += len(selected)
        if summary.limit_reached:
            break
        cursor.after = page.next_after
        if page.next_after is None:
            cursor.source += 1
    summary.done = True
    return result

