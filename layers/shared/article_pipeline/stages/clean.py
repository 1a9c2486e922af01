"""Clean stage: an uploaded object becomes ``cleaned/<id>.json`` and a message downstream."""

from __future__ import annotations

import contextlib
import hashlib

from botocore.exceptions import ClientError

from ..cleaning import clean_article
from ..documents import hand_over, read_object
from ..errors import BadInputError
from ..messaging import send_message
from ..models import CleanedDocument, DocumentRef, ErrorInfo, Source, StageMessage, article_id_for
from ..settings import Settings
from ..watchdog import Budget
from . import exhausted


def clean_source(source: Source, *, s3, sqs, settings: Settings, budget: Budget | None = None) -> StageMessage:
    """Clean one object. Bad input still yields a message: it carries the error to Store.

    Under a ``budget`` (its share of the invocation's time) an object that cleans too
    slowly fails as "too_slow" instead of taking the invocation, and its batch, with it."""
    article_id = article_id_for(source.bucket, source.key)
    try:
        raw, source = read_object(s3, source, settings.max_object_bytes)
        with budget.enforced() if budget is not None else contextlib.nullcontext():
            article = clean_article(raw, key=source.key, content_type=source.content_type)
    except BadInputError as error:
        message = StageMessage(
            article_id=article_id,
            source=source,
            error=ErrorInfo(stage="clean", kind=error.kind, message=error.message),
        )
    else:
        digest = hashlib.sha256(raw).hexdigest()
        document = CleanedDocument(article_id=article_id, source=source, content_sha256=digest, article=article)
        ref = DocumentRef(bucket=settings.bucket, key=f"{settings.cleaned_prefix}{article_id}.json")
        carried = hand_over(s3, ref, document, settings.inline_document_bytes)
        message = StageMessage(article_id=article_id, source=source, content_sha256=digest, **carried)
    send_message(sqs, settings.cleaned_queue_url, message)
    return message


def announce_removal(source: Source, *, s3, sqs, settings: Settings) -> StageMessage | None:
    """A deleted object: tell Store the article is retracted, unless the key still has a
    current object (a delete of one old version, or an upload since, which has its own event)."""
    try:
        s3.head_object(Bucket=source.bucket, Key=source.key)
    except ClientError as error:
        # A delete marker as the current version answers 404 (NoSuchKey) as well.
        if error.response.get("Error", {}).get("Code") not in {"404", "NoSuchKey", "NotFound"}:
            raise
    else:
        return None
    message = StageMessage(article_id=article_id_for(source.bucket, source.key), source=source, deleted=True)
    send_message(sqs, settings.cleaned_queue_url, message)
    return message


def give_up(source: Source, error: BaseException, *, sqs, settings: Settings) -> None:
    """Last delivery failed: let Store record the article as failed (the message goes to the DLQ)."""
    message = StageMessage(article_id=article_id_for(source.bucket, source.key), source=source)
    send_message(sqs, settings.cleaned_queue_url, exhausted(message, "clean", error))
