"""SQS adapter: every message between stages is a ``StageMessage``."""

from __future__ import annotations

from .models import StageMessage


def send_message(sqs, queue_url: str, message: StageMessage) -> None:
    sqs.send_message(
        QueueUrl=queue_url,
        MessageBody=message.model_dump_json(exclude_none=True),
        MessageAttributes={"article_id": {"DataType": "String", "StringValue": message.article_id}},
    )
