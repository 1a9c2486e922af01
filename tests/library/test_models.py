"""The contract: the checked-in JSON Schema, stable ids, records built from documents."""

from __future__ import annotations

from article_pipeline.models import (
    CleanedArticle,
    ErrorInfo,
    ExtractedDocument,
    Extraction,
    PipelineInfo,
    Source,
    StageMessage,
    article_id_for,
    failed_record,
    processed_record,
)
from article_pipeline.settings import DEFAULT_MODELS, Settings
from article_pipeline_local.devtools.schema import SCHEMA, record_schema


def test_checked_in_schema_matches_the_model():
    assert SCHEMA.read_text() == record_schema(), "run `make schema` and commit the result"


def test_article_id_depends_on_bucket_and_key_only():
    assert article_id_for("b", "incoming/a.txt") == article_id_for("b", "incoming/a.txt")
    assert article_id_for("b", "incoming/a.txt") != article_id_for("c", "incoming/a.txt")


def test_processed_record_counts_paragraphs_and_words():
    document = ExtractedDocument(
        article_id="a",
        source=Source(bucket="b", key="k"),
        content_sha256="x",
        article=CleanedArticle(title="T", text="One two.\n\nThree four five.", warnings=["w1"]),
        extraction=Extraction(warnings=["w2"]),
        pipeline=PipelineInfo(version="1"),
    )
    record = processed_record(document, "now")
    assert (record.status, record.paragraphs, record.word_count) == ("processed", 2, 5)
    assert record.warnings == ["w1", "w2"]


def test_failed_record_carries_the_error():
    message = StageMessage(
        article_id="a", source=Source(bucket="b", key="k"), error=ErrorInfo(stage="clean", kind="empty", message="m")
    )
    record = failed_record(message, PipelineInfo(version="1"), "now")
    assert record.status == "failed" and record.error.kind == "empty" and record.text is None


def test_settings_come_from_the_environment():
    settings = Settings.from_env({"ARTICLES_BUCKET": "b", "SPACY_MODEL": "a, b", "MAX_OBJECT_BYTES": "10"})
    assert (settings.bucket, settings.spacy_models, settings.max_object_bytes) == ("b", ("a", "b"), 10)
    assert Settings.from_env({}).spacy_models == DEFAULT_MODELS
