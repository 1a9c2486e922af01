"""S3 notifications as S3 sends them, where moto's fall short.

moto 5's notifications carry no ``sequencer`` and no ``versionId``, and a delete in a
versioned bucket (a delete marker) sends no event at all. The chain orders the events of a
key by their sequencers, as on AWS, so without them the last writer would win instead of
the last upload. ``install`` patches moto in this process (the moto server's, or the
in-process mock's): every event gets a sequencer that grows with each event, as S3's do for
one key, and its object's version id, and a delete marker sends
``ObjectRemoved:DeleteMarkerCreated``.
"""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any
from urllib.parse import quote_plus

_LOCK = threading.Lock()
# Starts from the clock, so that a restarted server's events still sort after the old ones.
_SEQUENCE = itertools.count(time.time_ns() // 1000)


def next_sequencer() -> str:
    with _LOCK:
        return f"{next(_SEQUENCE):018X}"


def event_body(event_name: str, bucket: Any, key: Any, notification_id: str) -> dict[str, Any]:
    """The notification S3 sends (its documented structure, the fields the chain reads)."""
    from moto.core.utils import iso_8601_datetime_with_milliseconds

    obj: dict[str, Any] = {"key": quote_plus(key.name), "sequencer": next_sequencer()}
    if getattr(key, "etag", None) is not None and not event_name.endswith("DeleteMarkerCreated"):
        obj.update(size=key.size, eTag=key.etag.replace('"', ""))
    version = getattr(key, "version_id", None)
    if bucket.is_versioned and version and version != "null":
        obj["versionId"] = version
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": bucket.region_name,
                "eventTime": iso_8601_datetime_with_milliseconds(),
                "eventName": event_name.removeprefix("s3:"),
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": notification_id,
                    "bucket": {"name": bucket.name, "arn": bucket.arn},
                    "object": obj,
                },
            }
        ]
    }


def install() -> None:
    """Patch moto once per process (idempotent)."""
    from moto.s3 import models, notifications

    if getattr(notifications._get_s3_event, "__article_pipeline__", False):
        return
    event_body.__article_pipeline__ = True  # type: ignore[attr-defined]
    notifications._get_s3_event = event_body
    original = models.S3Backend.delete_object

    def delete_object(self, bucket_name: str, key_name: str, version_id: str | None = None, bypass: bool = False):
        result = original(self, bucket_name, key_name, version_id=version_id, bypass=bypass)
        bucket = self.get_bucket(bucket_name)
        if bucket.is_versioned and version_id is None:
            marker = bucket.keys.get(key_name)
            if marker is not None:
                notifications.send_event(
                    self.account_id, notifications.S3NotificationEvent.OBJECT_REMOVED_DELETE_MARKER_CREATED_EVENT, bucket, marker
                )
        return result

    models.S3Backend.delete_object = delete_object
