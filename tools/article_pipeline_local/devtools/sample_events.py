"""Regenerate events/ from a real local run of the sample article (``make events``).

Each function's event file is the first batch the harness actually delivered to it, so
the files are exactly what the event source mappings send; the documents those events
name are saved under events/seed/ for ``article-pipeline invoke`` to upload.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import boto3

from ..emulation.chain import local_pipeline
from ..emulation.invoke import SEED, referenced_keys
from ..emulation.template import ROOT

SAMPLE = SEED / "incoming" / "harbour-bridge.txt"
EVENT_FILES = {"CleanFunction": "clean.json", "ExtractFunction": "extract.json", "StoreFunction": "store.json"}


def capture_events(sample: Path = SAMPLE) -> tuple[dict[str, dict[str, Any]], dict[str, bytes]]:
    """The first batch each function received, and the S3 objects those batches name."""
    captured: dict[str, dict[str, Any]] = {}
    documents: dict[str, bytes] = {}
    with local_pipeline() as pipeline:
        for local in pipeline.functions.values():
            original = local.invoke

            def recording(event: dict[str, Any], _original=original, _name=local.name) -> Any:
                if referenced_keys(event):
                    captured.setdefault(_name, event)
                return _original(event)

            local.invoke = recording  # type: ignore[method-assign]
        pipeline.run_files([sample], prefix="incoming/")
        s3 = boto3.client("s3")
        for event in captured.values():
            for key in referenced_keys(event):
                documents[key] = s3.get_object(Bucket=pipeline.stack.bucket, Key=key)["Body"].read()
    return captured, documents


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="write events/*.json and events/seed/")
    args = parser.parse_args(argv)
    captured, documents = capture_events()
    for name, filename in EVENT_FILES.items():
        text = json.dumps(captured[name], indent=2) + "\n"
        if args.write:
            (ROOT / "events" / filename).write_text(text)
        else:
            print(f"--- events/{filename}\n{text}")
    if args.write:
        for key, body in documents.items():
            if key.startswith("incoming/"):
                continue  # the sample itself is the source, not an output
            path = SEED / key
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(json.dumps(json.loads(body), indent=2).encode() + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
