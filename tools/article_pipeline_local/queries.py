"""``article-pipeline show`` and ``search``: read records from DynamoDB with GetItem and Query.

    article-pipeline show ARTICLE_ID|KEY --endpoint-url URL
    article-pipeline search --entity NAME [--label LABEL] --endpoint-url URL

Both answer from the table's keys (records by article, entity items by name), never a Scan. One module serves both
commands: ``add_arguments`` looks at which one the parser is for.
"""

from __future__ import annotations

import argparse
import json
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from .remote import add_target_arguments

    if parser.prog.rsplit(" ", 1)[-1] == "show":
        parser.add_argument("article", metavar="ARTICLE_ID|KEY", help="an article id, or the S3 key it came from")
    else:
        parser.add_argument("--entity", required=True, help="a name as it appears in articles (any case)")
        parser.add_argument("--label", help="only this entity label (PERSON, ORG, GPE, ...)")
    add_target_arguments(parser)


def article_id(value: str, bucket: str) -> str:
    from article_pipeline.models import article_id_for

    return article_id_for(bucket, value) if "/" in value else value


def show(dynamodb, table: str, bucket: str, value: str) -> dict | None:
    from article_pipeline.records import get_record

    record = get_record(dynamodb, table, article_id(value, bucket))
    return None if record is None else record.model_dump(mode="json", exclude_none=True)


def search(dynamodb, table: str, entity: str, label: str | None = None) -> list[dict]:
    """One row per article, most salient first."""
    from article_pipeline.records import find_by_entity

    rows = [
        {key: item.get(key) for key in ("article_id", "title", "published", "name", "label", "count", "salience")}
        for item in find_by_entity(dynamodb, table, entity, label)
    ]
    return sorted(rows, key=lambda row: (-(row["salience"] or 0), -(row["count"] or 0), row["article_id"]))


def run(args: argparse.Namespace) -> int:
    from .remote import resolve_target

    target = resolve_target(args)
    if target is None:
        print("give --endpoint-url (a running `article-pipeline serve`) or --stack (a deployed stack)", file=sys.stderr)
        return 2
    dynamodb = target.client("dynamodb")
    if args.command == "show":
        record = show(dynamodb, target.table, target.bucket, args.article)
        if record is None:
            print(f"no record for {args.article}", file=sys.stderr)
            return 1
        print(json.dumps(record, indent=2, ensure_ascii=False))
        return 0
    rows = search(dynamodb, target.table, args.entity, args.label)
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    print(f"{len(rows)} article(s) mention {args.entity!r}" + (f" as {args.label}" if args.label else ""), file=sys.stderr)
    return 0
