"""Generate the record's JSON Schema from the pydantic model (``make schema``)."""

from __future__ import annotations

import argparse
import json
import sys

from article_pipeline.models import ArticleRecord

from ..emulation.template import ROOT

SCHEMA = ROOT / "layers" / "shared" / "schema" / "article-record.schema.json"


def record_schema() -> str:
    return json.dumps(ArticleRecord.model_json_schema(mode="serialization"), indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help=f"write {SCHEMA.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    if args.write:
        SCHEMA.parent.mkdir(parents=True, exist_ok=True)
        SCHEMA.write_text(record_schema())
    else:
        sys.stdout.write(record_schema())
    return 0


if __name__ == "__main__":
    sys.exit(main())
