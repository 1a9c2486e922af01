"""Replay stage: S3 listings and StatusIndex pages in, S3-shaped messages to IngestQueue out.

The decisions and the cursor live in ``article_pipeline.replay_planning``; this module only pages
through AWS, sends, and hands an unfinished replay to the next invocation via ReplayQueue.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from boto3.dynamodb.types import TypeDeserializer

from ..records import STATUS_INDEX, Backoff, get_records
from ..replay_planning import (
    Candidate,
    Continuation,
    IndexSpec,
    ListingSpec,
    ReplaySettings,
    SourcePage,
    SourceSpec,
    StepResult,
    notification,
    source_for,
    step,
)

#: What the replay reads of a record: enough to decide and to rebuild its S3 event.
RECORD_FIELDS = ["status", "pipeline_rank", "source"]

_deserializer = TypeDeserializer()


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    data = {key: _deserializer.deserialize(value) for key, value in item.items()}
    return json.loads(json.dumps(data, default=lambda v: int(v) if v == v.to_integral_value() else float(v)))


def fetch_page(spec: SourceSpec, after: Any, limit: int, *, s3, dynamodb, settings: ReplaySettings) -> SourcePage:
    if isinstance(spec, ListingSpec):
        return _listing_page(spec, after, limit, s3=s3, dynamodb=dynamodb, settings=settings)
    return _index_page(spec, after, limit, dynamodb=dynamodb, settings=settings)


def _listing_page(spec: ListingSpec, after: str | None, limit: int, *, s3, dynamodb, settings: ReplaySettings) -> SourcePage:
    params: dict[str, Any] = {"Bucket": settings.bucket, "Prefix": spec.prefix, "MaxKeys": limit}
    if after:
        params["StartAfter"] = after
    response = s3.list_objects_v2(**params)
    objects = response.get("Contents", [])
    ids = [Candidate(key=obj["Key"], bucket=settings.bucket).article_id for obj in objects]
    wanted = [i for i, obj in zip(ids, objects) if spec.wants_record(obj["Key"], obj.get("LastModified"))]
    records = get_records(dynamodb, settings.table, wanted, projection=RECORD_FIELDS) if wanted else {}
    candidates = [
        Candidate(
            key=obj["Key"],
            bucket=settings.bucket,
            size=obj.get("Size"),
            etag=obj.get("ETag"),
            last_modified=obj.get("LastModified"),
            record=records.get(article_id),
        )
        for obj, article_id in zip(objects, ids)
    ]
    truncated = response.get("IsTruncated") and objects
    return SourcePage(candidates, objects[-1]["Key"] if truncated else None)


def _index_page(spec: IndexSpec, after: dict | None, limit: int, *, dynamodb, settings: ReplaySettings) -> SourcePage:
    condition = "#status = :status"
    values: dict[str, Any] = {":status": {"S": spec.status}}
    if spec.below is not None:
        condition += " AND pipeline_rank < :below"
        values[":below"] = {"S": spec.below}
    params: dict[str, Any] = {
        "TableName": settings.table,
        "IndexName": STATUS_INDEX,
        "KeyConditionExpression": condition,
        # Keys (for the cursor) and what decide() and the message need; nothing else.
        "ProjectionExpression": "pk, sk, #status, pipeline_rank, #source",
        "ExpressionAttributeNames": {"#status": "status", "#source": "source"},
        "ExpressionAttributeValues": values,
        # Newest first: re-processing only raises a rank, so nothing passed comes back ahead.
        "ScanIndexForward": False,
        "Limit": limit,
    }
    if after:
        params["ExclusiveStartKey"] = after
    response = Backoff().call(dynamodb.query, **params)  # waits out a throttled index
    candidates = []
    for item in response.get("Items", []):
        record = _plain(item)
        source = record.get("source") or {}
        candidates.append(
            Candidate(key=source.get("key", ""), bucket=source.get("bucket") or settings.bucket, record=record, listed=False)
        )
    return SourcePage(candidates, response.get("LastEvaluatedKey"))


def send_batch(sqs, settings: ReplaySettings, candidates: list[Candidate], replay_id: str, attempts: int = 5) -> None:
    """SendMessageBatch, resending only the entries SQS reports as failed."""
    now = datetime.now(timezone.utc)
    pending = {
        str(n): {
            "Id": str(n),
            "MessageBody": json.dumps(notification(source_for(c), settings.region, replay_id, now)),
            "MessageAttributes": {"replay_id": {"DataType": "String", "StringValue": replay_id}},
        }
        for n, c in enumerate(candidates)
    }
    for _ in range(attempts):
        response = sqs.send_message_batch(QueueUrl=settings.ingest_queue_url, Entries=list(pending.values()))
        failed = {entry["Id"] for entry in response.get("Failed", [])}
        pending = {key: entry for key, entry in pending.items() if key in failed}
        if not pending:
            return
    raise RuntimeError(f"SQS refused {len(pending)} replay messages")


def replay_step(
    job: Continuation, *, s3, dynamodb, sqs, settings: ReplaySettings, time_left_ms: Callable[[], int]
) -> StepResult:
    """One invocation's share; an unfinished replay goes on through ReplayQueue."""
    result = step(
        job,
        settings=settings,
        fetch=lambda spec, after, limit: fetch_page(spec, after, limit, s3=s3, dynamodb=dynamodb, settings=settings),
        send=lambda chunk: send_batch(sqs, settings, chunk, job.summary.replay_id),
        time_left_ms=time_left_ms,
    )
    if not result.done:
        sqs.send_message(QueueUrl=settings.replay_queue_url, MessageBody=result.job.model_dump_json())
    return result

