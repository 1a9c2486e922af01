"""``article-pipeline show`` and ``search``: read records from DynamoDB with GetItem and Query.

    article-pipeline show ARTICLE_ID|KEY --endpoint-url URL
    article-pipeline search --entity NAME [--label LABEL] [--id ID] --endpoint-url URL

Both answer from the table's keys (records by article, entity items by name), never a Scan.
Search resolves a name to the identities it stands for across the archive
(``article_pipeline.search``) and prints one JSON line per article, grouped by identity.
One module serves both commands: ``add_arguments`` looks at which one the parser is for.
The review console (``serve``) reads through the same functions, plus ``recent`` (its
article list, the one Scan), ``article`` (a record with what was moved to S3 put back),
``entity_page`` (one identity's articles and the identities they name with it) and
``drop_state``.
"""

from __future__ import annotations

import argparse
import json
import sys

from article_pipeline.records import BULK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from ..emulation.remote import add_target_arguments

    if parser.prog.rsplit(" ", 1)[-1] == "show":
        parser.add_argument("article", metavar="ARTICLE_ID|KEY", help="an article id, or the S3 key it came from")
    else:
        parser.add_argument("--entity", required=True, help="a name as it appears in articles (any case)")
        parser.add_argument("--label", help="only this entity label (PERSON, ORG, GPE, ...)")
        parser.add_argument("--id", dest="identity", metavar="ID", help="only this identity (an id a search printed, e.g. person:tony-blair)")
    add_target_arguments(parser)


def article_id(value: str, bucket: str) -> str:
    from article_pipeline.models import article_id_for

    return article_id_for(bucket, value) if "/" in value else value


def show(dynamodb, table: str, bucket: str, value: str) -> dict | None:
    from article_pipeline.records import get_record

    record = get_record(dynamodb, table, article_id(value, bucket))
    return None if record is None else record.model_dump(mode="json", exclude_none=True)


def search(dynamodb, table: str, entity: str, label: str | None = None, identity: str | None = None) -> list[dict]:
    """One row per article of each identity ``entity`` names, the most frequent identity
    first and, within one, the most salient article first (``article_pipeline.search``)."""
    rows = []
    for group in search_groups(dynamodb, table, entity, label, identity):
        rows += group_rows(group)
    return rows


def search_groups(dynamodb, table: str, entity: str, label: str | None = None, identity: str | None = None, lookup=None):
    from article_pipeline.identity import shorter_names
    from article_pipeline.search import search as resolve

    from article_pipeline.records import find_by_initials

    return resolve(
        entity, lookup or table_lookup(dynamodb, table, entity), place_ids, label=label, identity=identity,
        shorter=shorter_names(entity, is_known_place), by_initials=lambda letters: find_by_initials(dynamodb, table, letters),
    )


#: What a search row shows of an entity item.
ROW_FIELDS = ("article_id", "title", "published", "name", "label", "count", "salience", "id")


def group_rows(group) -> list[dict]:
    rows = [
        # matched: the search key the article's item was found under ("blair", "iso:US")
        {**{key: item.get(key) for key in ROW_FIELDS}, "id": group.id, "matched": item.get("key") or item.get("name")}
        for item in group.hits.values()
    ]
    return sorted(rows, key=lambda row: (-(row["salience"] or 0), -(row["count"] or 0), row["article_id"]))


#: How many co-occurring identities the entity page lists.
CO_OCCURRING = 10


def entity_identity(entity: dict) -> str:
    """A record's entity's id; records from before identities get the one Extract would give."""
    from article_pipeline.identity import entity_id

    return entity.get("id") or entity_id(entity["name"], entity["label"])


def display_name(identity: str, names: list[str]) -> str:
    """What to call an identity: the name its id was made from ("Michael Howard" rather than
    a "Howard" that articles use as often), else its most used name."""
    from article_pipeline.identity import name_key, person_name, primary_key

    own = primary_key(identity)
    for name in names:
        if own and own in (name_key(name), name_key(person_name(name))):
            return name
    return names[0] if names else identity


def entity_page(dynamodb, table: str, identity: str, top: int = CO_OCCURRING) -> dict | None:
    """One identity as the console shows it, None when no article names it: its names (most
    used first), its articles (newest first by published, then processed time) and the
    identities its articles name most, counted once per article.

    Articles come as search resolves them (``article_pipeline.search.articles_of``), so the
    page and a search agree; the co-occurring entities are read from the records.
    """
    from article_pipeline.records import get_records
    from article_pipeline.search import articles_of

    if ":" not in identity:  # every id is <kind or scheme>:<key>
        return None
    group = articles_of(identity, table_lookup(dynamodb, table))
    if not group.hits:
        return None
    records = get_records(dynamodb, table, list(group.hits), ["title", "published", "processed_at", BULK, "entities_uri"])
    articles = []
    for article_id, item in group.hits.items():
        data = records.get(article_id, {})
        articles.append(
            {
                "article_id": article_id,
                "title": data.get("title") or item.get("title"),
                "published": data.get("published") or item.get("published"),
                "processed_at": data.get("processed_at"),
                "name": item.get("name"),
                "label": item.get("label"),
                "count": item.get("count"),
                "salience": item.get("salience"),
            }
        )
    # Undated articles sort last: "" is below every date.
    articles.sort(key=lambda row: (row["published"] or "", row["processed_at"] or "", row["article_id"]), reverse=True)
    labels: dict[str, int] = {}
    for item in group.hits.values():
        labels[item.get("label")] = labels.get(item.get("label"), 0) + 1
    co_occurring, unread = _co_occurring(identity, group.hits, records, top)
    return {
        "id": identity,
        "name": display_name(identity, group.names),
        "joins": _joined_into(dynamodb, table, identity),
        "names": group.names,
        "label": max(labels, key=lambda label: (labels[label], label or "")),
        "articles": articles,
        "co_occurring": co_occurring,
        # articles whose entity list Store moved to S3: not counted in co_occurring
        "entities_in_s3": unread,
    }


def _joined_into(dynamodb, table: str, identity: str) -> dict | None:
    """The fuller identity a search for this one's name counts its articles under ("Mr Howard"
    is Michael Howard when the archive's Howards mostly are), or None. An article's mark links
    to the id the article gives; this lets the page point on to where search puts it."""
    from article_pipeline.identity import primary_key

    own = primary_key(identity)
    if not own:
        return None
    for group in search_groups(dynamodb, table, own):
        if group.id != identity and any(item.get("id") == identity for item in group.hits.values()):
            return {"id": group.id, "name": display_name(group.id, group.names)}
    return None


def _co_occurring(identity: str, hits: dict[str, dict], records: dict[str, dict], top: int) -> tuple[list[dict], int]:
    """The identities named beside ``identity``, by how many of its articles name them."""
    articles: dict[str, int] = {}
    names: dict[str, dict[str, int]] = {}
    labels: dict[str, str] = {}
    unread = 0
    for article_id, item in hits.items():
        data = records.get(article_id)
        if data is None or data.get("entities_uri"):
            unread += data is not None
            continue
        # the page's identity, under whichever id this article gives it (a surname joins a full name)
        own = {identity, item.get("id")}
        seen: set[str] = set()
        for entity in data.get("entities") or []:
            other = entity_identity(entity)
            if other in own:
                continue
            if other not in seen:
                seen.add(other)
                articles[other] = articles.get(other, 0) + 1
            counts = names.setdefault(other, {})
            counts[entity["name"]] = counts.get(entity["name"], 0) + 1
            labels.setdefault(other, entity["label"])
    ranked = sorted(articles, key=lambda other: (-articles[other], other))[:top]
    return [
        {"id": other, "name": min(names[other], key=lambda name: (-names[other][name], name)), "label": labels[other], "articles": articles[other]}
        for other in ranked
    ], unread


def table_lookup(dynamodb, table: str, asked: str | None = None):
    """``lookup(key)`` for ``article_pipeline.search`` over the table: a Query per key, and for
    the name asked, the items of records written before identities (``records.find_legacy``)."""
    from article_pipeline.identity import entity_id, name_key
    from article_pipeline.records import find_by_key, find_legacy

    def lookup(key: str) -> list[dict]:
        items = find_by_key(dynamodb, table, key)
        if asked is not None and key == name_key(asked):
            for item in find_legacy(dynamodb, table, asked):
                item.setdefault("id", entity_id(item["name"], item["label"]))
                item.setdefault("keys", [key])
                items.append(item)
        return items

    return lookup


def is_known_place(name: str) -> bool:
    """A country, nation, state or large city as written ("U.S.", "New York", not "Human")."""
    from article_pipeline.extraction.entities.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    place = gazetteer.place_id(name)
    return bool(place) and (place.startswith("iso:") or gazetteer.label(name, strong_only=True) in ("GPE", "LOC"))


def place_ids(name: str) -> list[str]:
    """The public id of the place ``name`` names, as Extract gives it (the shipped gazetteer)."""
    from article_pipeline.extraction.entities.gazetteer import load_gazetteer

    place = load_gazetteer().place_id(name)
    return [place] if place else []


#: What the article list shows of each record (the counts are the lists' lengths).
#: What a list row reads of a record; the entity and figure lists live compressed in its bulk attribute.
SUMMARY_FIELDS = ["title", "publisher", "published", "status", "processed_at", "source", "error", BULK, "entities_uri", "figures_uri"]


def recent(dynamodb, table: str, status: str | None = None, page: int = 0, per_page: int = 25) -> tuple[list[dict], int]:
    """One page of article summaries, most recently processed first, and how many there are.

    With a ``status`` the ids come from a StatusIndex Query; without one, from a paged Scan
    of the record items (id and time only): the one Scan, as nothing else orders by time.
    Only the page's records are read whole, with BatchGetItem.
    """
    from article_pipeline.records import get_records

    if status:
        ids = _ids_with_status(dynamodb, table, status)
        times = {key: data.get("processed_at") or "" for key, data in get_records(dynamodb, table, ids, ["processed_at"]).items()}
    else:
        times = _record_times(dynamodb, table)
    ordered = sorted(times, key=lambda key: (times[key], key), reverse=True)
    shown = ordered[page * per_page : (page + 1) * per_page]
    found = get_records(dynamodb, table, shown, SUMMARY_FIELDS)
    return [_summary(found[key]) for key in shown if key in found], len(ordered)


def _ids_with_status(dynamodb, table: str, status: str) -> list[str]:
    from article_pipeline.records import STATUS_INDEX

    pages = dynamodb.get_paginator("query").paginate(
        TableName=table, IndexName=STATUS_INDEX, KeyConditionExpression="#status = :status",
        ExpressionAttributeNames={"#status": "status"}, ExpressionAttributeValues={":status": {"S": status}},
        ProjectionExpression="article_id",
    )
    return [item["article_id"]["S"] for result in pages for item in result["Items"]]


def _record_times(dynamodb, table: str) -> dict[str, str]:
    from article_pipeline.records import RECORD_SK

    pages = dynamodb.get_paginator("scan").paginate(
        TableName=table, FilterExpression="sk = :record", ProjectionExpression="article_id, processed_at",
        ExpressionAttributeValues={":record": {"S": RECORD_SK}}, PaginationConfig={"PageSize": 500},
    )
    return {item["article_id"]["S"]: item.get("processed_at", {}).get("S", "") for result in pages for item in result["Items"]}


def _summary(data: dict) -> dict:
    """A list row: None for a count whose list was moved to S3 (too large for the item)."""
    return {
        **{key: data.get(key) for key in ("article_id", "title", "publisher", "published", "status", "processed_at", "error")},
        "key": (data.get("source") or {}).get("key"),
        "entity_count": None if data.get("entities_uri") else len(data.get("entities") or []),
        "figure_count": None if data.get("figures_uri") else len(data.get("figures") or []),
    }


def article(dynamodb, s3, table: str, bucket: str, value: str) -> dict | None:
    """``show``'s record with every part the Store stage moved to S3 for size put back."""
    from article_pipeline.documents import get_document, parse_name
    from article_pipeline.models import ExtractedDocument

    record = show(dynamodb, table, bucket, value)
    uris = {field[: -len("_uri")]: record.pop(field) for field in [*(record or {})] if field.endswith("_uri")}
    documents: dict[str, dict] = {}
    for field, uri in uris.items():
        location, path = uri.split("#", 1)
        if location not in documents:  # the version the record was built from, where it names one
            documents[location] = get_document(s3, parse_name(location), ExtractedDocument).model_dump(mode="json")
        part = documents[location]
        for step in path.split("."):
            part = part[step]
        record[field] = part
    return record


def drop_state(s3, dynamodb, table: str, bucket: str, key: str, etag: str | None = None) -> dict:
    """How far a dropped object has got: uploaded, cleaned, extracted, stored or failed.

    A record counts only if it is of this upload (``etag``, when given, is the object's);
    the stages' documents only if written after the upload.
    """
    from botocore.exceptions import ClientError

    from article_pipeline.models import article_id_for
    from article_pipeline.records import get_record
    from article_pipeline.settings import Settings

    article_id = article_id_for(bucket, key)
    state = {"key": key, "article_id": article_id, "state": "missing", "error": None}
    try:
        uploaded = s3.head_object(Bucket=bucket, Key=key)
    except ClientError:
        return state
    etag = (etag or uploaded["ETag"]).strip('"')
    record = get_record(dynamodb, table, article_id)
    if record is not None and (record.source.etag or "").strip('"') == etag:
        state["state"] = "stored" if record.status == "processed" else "failed"
        if record.error:
            state["error"] = f"{record.error.stage}/{record.error.kind}: {record.error.message}"
        return state
    state["state"] = "uploaded"
    settings = Settings()
    for stage, prefix in (("extracted", settings.extracted_prefix), ("cleaned", settings.cleaned_prefix)):
        try:
            document = s3.head_object(Bucket=bucket, Key=f"{prefix}{article_id}.json")
        except ClientError:
            continue
        if document["LastModified"] >= uploaded["LastModified"]:
            state["state"] = stage
            break
    return state


def run(args: argparse.Namespace) -> int:
    from ..emulation.remote import resolve_target

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
    groups = search_groups(dynamodb, target.table, args.entity, args.label, args.identity)
    for group in groups:
        for row in group_rows(group):
            print(json.dumps(row, ensure_ascii=False))
    total = sum(group.articles for group in groups)
    summary = f"{total} article(s) mention {args.entity!r}" + (f" as {args.label}" if args.label else "")
    if len(groups) > 1:
        summary += f", {len(groups)} identities: " + ", ".join(f"{group.id} ({group.articles})" for group in groups)
    elif groups:
        summary += f" ({groups[0].id})"
    print(summary, file=sys.stderr)
    return 0
