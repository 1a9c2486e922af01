"""Parser models for what SQS delivers to the functions (Powertools' models, extended)."""

from __future__ import annotations

from typing import Literal
from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.parser.models import (
    S3Model,
    S3RecordModel,
    S3SqsEventNotificationRecordModel,
    SqsRecordModel,
)
from aws_lambda_powertools.utilities.parser.models.s3 import (
    S3Bucket,
    S3Identity,
    S3Message,
    S3OwnerIdentify,
    S3RequestParameters,
    S3ResponseElements,
)
from pydantic import BaseModel, Json, ValidationError

from .models import Source, StageMessage


class S3TestEventModel(BaseModel):
    """S3 sends this once when a notification configuration is saved; it names no object."""

    Service: str | None = None
    Event: Literal["s3:TestEvent"]
    Bucket: str | None = None


# Powertools' S3 models require the identity and request fields that AWS sends; moto's
# notifications and hand-written replays omit them, and nothing here reads them.
class NotifiedBucket(S3Bucket):
    ownerIdentity: S3OwnerIdentify | None = None  # type: ignore[assignment]


class NotifiedMessage(S3Message):
    bucket: NotifiedBucket  # type: ignore[assignment]


class NotifiedRecord(S3RecordModel):
    userIdentity: S3Identity | None = None  # type: ignore[assignment]
    requestParameters: S3RequestParameters | None = None  # type: ignore[assignment]
    responseElements: S3ResponseElements | None = None  # type: ignore[assignment]
    s3: NotifiedMessage  # type: ignore[assignment]


class S3NotificationModel(S3Model):
    Records: list[NotifiedRecord]  # type: ignore[assignment]


class IngestRecordModel(S3SqsEventNotificationRecordModel):
    """An IngestQueue message: an S3 notification, or the s3:TestEvent to skip."""

    body: Json[S3NotificationModel | S3TestEventModel]  # type: ignore[assignment]


class StageRecordModel(SqsRecordModel):
    body: Json[StageMessage]  # type: ignore[assignment]


def source_of(record: S3RecordModel) -> Source:
    obj = record.s3.object
    return Source(
        bucket=record.s3.bucket.name,
        # Keys arrive URL-encoded, spaces as "+": "a b+c.txt" is sent as "a+b%2Bc.txt".
        key=unquote_plus(obj.key),
        version_id=obj.versionId,
        etag=obj.eTag,
        size=int(obj.size) if obj.size is not None else None,
        sequencer=obj.sequencer,
    )


def sources_of(body: S3NotificationModel | S3TestEventModel) -> list[Source]:
    if isinstance(body, S3TestEventModel):
        return []
    return [source_of(record) for record in body.Records if record.eventName.startswith("ObjectCreated")]


def removals_of(body: S3NotificationModel | S3TestEventModel) -> list[Source]:
    """The objects a notification says were deleted: ``ObjectRemoved:Delete`` (an unversioned
    delete, or one of a version) and ``ObjectRemoved:DeleteMarkerCreated`` (a versioned
    bucket's delete), each with the sequencer that orders it among the key's events."""
    if isinstance(body, S3TestEventModel):
        return []
    return [source_of(record) for record in body.Records if record.eventName.startswith("ObjectRemoved")]


def stage_messages(records: list[dict]) -> dict[str, StageMessage]:
    """The batch's messages by id; malformed ones are left to the BatchProcessor to report."""
    messages = {}
    for raw in records:
        try:
            messages[raw["messageId"]] = StageRecordModel.model_validate(raw).body
        except (ValidationError, KeyError):
            continue
    return messages
