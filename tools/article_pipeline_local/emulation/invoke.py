"""``article-pipeline invoke``: what `sam local invoke` does, on moto instead of Docker.

The handler, its environment and the resources come from template.yaml; the S3 objects
the event refers to are seeded from ``events/seed/<key>`` (an S3 notification names an
uploaded object, a stage message names a document).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import boto3

from .chain import local_pipeline
from .template import ROOT

SEED = ROOT / "events" / "seed"


def referenced_keys(event: dict[str, Any]) -> list[str]:
    """The S3 keys the SQS bodies of an event name (objects or stage documents)."""
    keys = []
    for record in event.get("Records", []):
        try:
            body = json.loads(record.get("body", ""))
        except json.JSONDecodeError:
            continue
        for s3_record in body.get("Records", []) if isinstance(body, dict) else []:
            keys.append(unquote_plus(s3_record["s3"]["object"]["key"]))
        if isinstance(body, dict) and isinstance(body.get("document"), dict):
            keys.append(body["document"]["key"])
    return keys


def invoke_function(name: str, event: dict[str, Any], log_level: str | None = "INFO", seed: Path = SEED) -> Any:
    with local_pipeline(log_level=log_level) as pipeline:
        if name not in pipeline.functions:
            raise SystemExit(f"no function {name!r} in template.yaml; there are {sorted(pipeline.functions)}")
        s3 = boto3.client("s3")
        for key in referenced_keys(event):
            source = seed / key
            if not source.is_file():
                raise SystemExit(f"the event names s3://{pipeline.stack.bucket}/{key}: put a copy at {source}")
            s3.put_object(Bucket=pipeline.stack.bucket, Key=key, Body=source.read_bytes())
        return pipeline.functions[name].invoke(event)
