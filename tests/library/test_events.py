"""Parsing what SQS delivers: S3 notifications (URL-encoded keys, test events) and stage messages."""

from __future__ import annotations

import json

import pytest

from article_pipeline.events import IngestRecordModel, removals_of, sources_of, stage_messages


def sqs_record(body: dict | str, message_id: str = "m1") -> dict:
    return {
        "messageId": message_id,
        "receiptHandle": "r",
        "body": body if isinstance(body, str) else json.dumps(body),
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "1",
            "SenderId": "s",
            "ApproximateFirstReceiveTimestamp": "1",
        },
        "messageAttributes": {},
        "md5OfBody": "x",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:q",
        "awsRegion": "us-east-1",
    }


def notification(key: str, event: str = "ObjectCreated:Put") -> dict:
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": "us-east-1",
                "eventTime": "2026-11-26T05:00:00.000Z",
                "eventName": event,
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "c",
                    "bucket": {"name": "articles", "arn": "arn:aws:s3:::articles"},
                    "object": {"key": key, "size": 10, "eTag": "e", "sequencer": "0A", "versionId": "v1"},
                },
            }
        ]
    }


def test_keys_are_url_decoded():
    record = IngestRecordModel.model_validate(sqs_record(notification("incoming/caf%C3%A9+news+%2B1%25.txt")))
    (source,) = sources_of(record.body)
    assert source.key == "incoming/café news +1%.txt"
    assert (source.bucket, source.version_id, source.sequencer) == ("articles", "v1", "0A")


def test_s3_test_event_names_no_object():
    body = {"Service": "Amazon S3", "Event": "s3:TestEvent", "Time": "t", "Bucket": "articles", "RequestId": "r"}
    assert sources_of(IngestRecordModel.model_validate(sqs_record(body)).body) == []


def test_only_created_objects_are_cleaned():
    record = IngestRecordModel.model_validate(sqs_record(notification("incoming/a.txt", "ObjectRemoved:Delete")))
    assert sources_of(record.body) == []


def test_malformed_stage_messages_are_left_to_the_batch_processor():
    good = {"article_id": "a", "source": {"bucket": "b", "key": "k"}}
    messages = stage_messages([sqs_record(good, "m1"), sqs_record("not json", "m2"), sqs_record({"x": 1}, "m3")])
    assert list(messages) == ["m1"]


@pytest.mark.parametrize("event", ["ObjectRemoved:Delete", "ObjectRemoved:DeleteMarkerCreated"])
def test_a_delete_is_parsed_as_a_removal_not_dropped(event):
    record = IngestRecordModel.model_validate(sqs_record(notification("incoming/a.txt", event)))
    (removed,) = removals_of(record.body)
    assert removed.key == "incoming/a.txt"
    assert sources_of(record.body) == []
