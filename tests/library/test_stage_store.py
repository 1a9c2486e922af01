"""The Store stage's documents: the names a record keeps, and what a retraction takes."""

import boto3

from article_pipeline.documents import parse_name, put_document, version_name
from article_pipeline.models import CleanedArticle, CleanedDocument, DocumentRef, PipelineInfo, Source, StageMessage, deleted_record
from article_pipeline.settings import Settings
from article_pipeline.stages import store as stage


def test_a_message_names_its_uploads_documents_by_version():
    cleaned = DocumentRef(bucket="b", key="cleaned/a.json", version_id="v1")
    extracted = DocumentRef(bucket="b", key="extracted/a.json", version_id="v2")
    message = StageMessage(article_id="a", source=Source(bucket="b", key="incoming/a.txt"), document=extracted, earlier_documents=[cleaned])
    assert stage.document_names(message) == ["s3://b/cleaned/a.json?versionId=v1", "s3://b/extracted/a.json?versionId=v2"]
    assert parse_name(stage.document_names(message)[1]) == extracted
    # Without versioning a name would be the key: a delete by it could take another upload's.
    assert version_name(DocumentRef(bucket="b", key="cleaned/a.json", version_id="null")) is None


def test_a_retraction_takes_every_older_version_and_no_newer_one(stack):
    """Two attempts of the older upload put cleaned/ (the first failed after its put: no
    record names it), and a newer upload, still on its way, has put extracted/ above the
    older one's."""
    s3 = boto3.client("s3")
    settings = Settings(bucket=stack.bucket, table=stack.table)
    older, newer = "0055AED6DCD90281E5", "0055AED6DCD90281F0"
    put = {}
    for prefix, sequencer in (("cleaned/", older), ("cleaned/", older), ("extracted/", older), ("extracted/", newer)):
        source = Source(bucket=stack.bucket, key="incoming/a.txt", sequencer=sequencer)
        document = CleanedDocument(article_id="a", source=source, content_sha256="0" * 64, article=CleanedArticle(text="Text."))
        ref = put_document(s3, DocumentRef(bucket=stack.bucket, key=f"{prefix}a.json"), document)
        put.setdefault(sequencer, []).append(version_name(ref))
    retraction = StageMessage(article_id="a", source=Source(bucket=stack.bucket, key="incoming/a.txt", sequencer="0055AED6DCD90281E9"),
                              deleted=True)
    record = deleted_record(retraction, PipelineInfo(version="1"), "t")
    found = stage.retracted_documents(record, s3=s3, settings=settings)
    assert sorted(found) == sorted(put[older])  # the newer upload's extracted/ stays


def test_a_document_gone_before_store_reads_it_ends_as_a_retries_exhausted_failure(stack):
    s3, dynamodb = boto3.client("s3"), boto3.client("dynamodb")
    settings = Settings(bucket=stack.bucket, table=stack.table)
    source = Source(bucket=stack.bucket, key="incoming/a.txt", sequencer="0055AED6DCD90281E5")
    document = CleanedDocument(article_id="a", source=source, content_sha256="0" * 64, article=CleanedArticle(text="Text."))
    ref = put_document(s3, DocumentRef(bucket=stack.bucket, key="extracted/a.json"), document)
    s3.delete_object(Bucket=ref.bucket, Key=ref.key, VersionId=ref.version_id)
    message = StageMessage(article_id="a", source=source, content_sha256="0" * 64, document=ref)
    record, written = stage.store_message(message, s3=s3, dynamodb=dynamodb, settings=settings)
    assert written and (record.status, record.error.stage, record.error.kind) == ("failed", "store", "retries_exhausted")
    assert "no longer exists" in record.error.message
