"""S3 adapter: the uploaded objects and the stages' JSON documents (claim check)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TypeVar

from botocore.exceptions import ClientError
from pydantic import BaseModel

from .errors import BadInputError, DocumentGone
from .models import DocumentRef, Source, StageMessage

ModelT = TypeVar("ModelT", bound=BaseModel)


def read_object(s3, source: Source, max_bytes: int) -> tuple[bytes, Source]:
    """The bytes of exactly the object version the notification announced.

    Reading by version id means an overwrite between the event and the read cannot swap
    in other content; a deleted object or one over ``max_bytes`` is a permanent error.
    """
    params = {"Bucket": source.bucket, "Key": source.key}
    if source.version_id and source.version_id != "null":
        params["VersionId"] = source.version_id
    try:
        response = s3.get_object(**params)
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "")
        if code in {"NoSuchKey", "NoSuchVersion", "404"}:
            raise BadInputError("missing_object", f"s3://{source.bucket}/{source.key} no longer exists") from error
        raise
    size = int(response.get("ContentLength") or 0)
    seen = source.model_copy(
        update={
            "size": size,
            "etag": (response.get("ETag") or source.etag or "").strip('"') or None,
            "content_type": response.get("ContentType") or source.content_type,
            "version_id": response.get("VersionId") or source.version_id,
        }
    )
    if size > max_bytes:
        response["Body"].close()
        raise BadInputError("too_large", f"object is {size} bytes; the limit is {max_bytes}")
    return response["Body"].read(), seen


def put_document(s3, ref: DocumentRef, document: BaseModel) -> DocumentRef:
    response = s3.put_object(
        Bucket=ref.bucket,
        Key=ref.key,
        Body=document.model_dump_json(exclude_none=False).encode(),
        ContentType="application/json",
    )
    return ref.model_copy(update={"version_id": response.get("VersionId")})


def get_document(s3, ref: DocumentRef, model: type[ModelT]) -> ModelT:
    return model.model_validate_json(read_version(s3, ref))


def read_version(s3, ref: DocumentRef) -> bytes:
    """The bytes of that very version of a document, or ``DocumentGone``."""
    params = {"VersionId": ref.version_id} if ref.version_id and ref.version_id != "null" else {}
    try:
        return s3.get_object(Bucket=ref.bucket, Key=ref.key, **params)["Body"].read()
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "NoSuchVersion", "404"}:
            raise DocumentGone(f"{version_name(ref) or f's3://{ref.bucket}/{ref.key}'} no longer exists") from error
        raise


def versions_of(s3, bucket: str, key: str) -> list[DocumentRef]:
    """Every version of the document at ``key`` (newest first, as S3 lists them)."""
    found = []
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket, Prefix=key):
        versions = [v for v in page.get("Versions", []) if v["Key"] == key]  # not cleaned/a.json.bak
        found += [DocumentRef(bucket=bucket, key=key, version_id=v["VersionId"]) for v in versions]
    return found


def version_name(ref: DocumentRef) -> str | None:
    """``s3://bucket/key?versionId=V``: the one version a record names (None without one, as
    in a bucket without versioning, where a delete could take another writer's document)."""
    if not ref.version_id or ref.version_id == "null":
        return None
    return f"s3://{ref.bucket}/{ref.key}?versionId={ref.version_id}"


def parse_name(name: str) -> DocumentRef:
    """The document a ``version_name`` (or a plain ``s3://bucket/key``) names."""
    location, _, version_id = name.removeprefix("s3://").partition("?versionId=")
    bucket, key = location.split("/", 1)
    return DocumentRef(bucket=bucket, key=key, version_id=version_id or None)


def delete_versions(s3, names: Iterable[str]) -> None:
    """Delete exactly these document versions (``version_name``s). No delete marker: the
    key's current document becomes the one before (a stored record's, none, or a failed
    attempt's, which only a retraction's sweep takes)."""
    for ref in map(parse_name, names):
        s3.delete_object(Bucket=ref.bucket, Key=ref.key, VersionId=ref.version_id)


def hand_over(s3, ref: DocumentRef, document: BaseModel, inline_bytes: int) -> dict[str, Any]:
    """The message fields that carry ``document`` to the next stage.

    Up to ``inline_bytes`` of JSON it travels in the message (no S3 PUT and GET to pay);
    above, it is put at ``ref`` and the message names it (claim check).
    """
    if inline_bytes > 0:
        body = document.model_dump_json()
        if len(body.encode()) <= inline_bytes:
            return {"inline_document": json.loads(body)}
    return {"document": put_document(s3, ref, document)}


def read_document(s3, message: StageMessage, model: type[ModelT]) -> ModelT:
    """The document a stage message carries or names."""
    if message.inline_document is not None:
        return model.model_validate(message.inline_document)
    if message.document is None:
        raise ValueError(f"message for {message.article_id} carries no document")
    return get_document(s3, message.document, model)
