"""DynamoDB adapter: the article record and the entity items that index it.

Layout (one table):
- ``pk=ARTICLE#<id>, sk=RECORD``: the record, as native DynamoDB attributes.
- ``pk=ARTICLE#<id>, sk=ENTITY#<label>#<name>``: one item per entity, projected into
  ``EntityIndex`` (``entity_key=ENTITY#<name>``, ``entity_sort=<label>#<id>``), so "articles
  that mention X" is a Query.

Writes are conditional: the same input twice changes nothing (not even ``processed_at``),
an older S3 event (by ``sequencer``) never replaces a newer record, an older pipeline
version never replaces a newer one, and running out of retries never overwrites a
processed record.
"""

from __future__ import annotations

import hashlib
import json
import math
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from .errors import RETRIES_EXHAUSTED
from .models import ArticleRecord, Entity

RECORD_SK = "RECORD"
ENTITY_INDEX = "EntityIndex"
#: Record items only (``status`` + ``pipeline_rank``): "failed" and "older than deployed"
#: become Queries for the replay instead of a Scan.
STATUS_INDEX = "StatusIndex"
#: DynamoDB's item limit is 400 KB; leave room for attribute names and the index keys.
MAX_RECORD_BYTES = 350_000

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def article_pk(article_id: str) -> str:
    return f"ARTICLE#{article_id}"


def entity_key(name: str) -> str:
    return f"ENTITY#{' '.join(name.lower().split())}"


def order_key(sequencer: str | None) -> str:
    """S3 sequencers are hex strings comparable only at equal length: pad them."""
    return (sequencer or "").upper().rjust(32, "0")


def version_key(version: str) -> str:
    """Pipeline versions compare by their numeric parts: "0.10.0" is newer than "0.9.1"."""
    return ".".join(part.rjust(8, "0") if part.isdigit() else part for part in version.split("."))


def pipeline_rank(version: str, model_version: str | None) -> str:
    """Code version, then model version: sorts as the pipelines were released.

    A failed record carries no model version; its rank ends at the "|" so that it sorts
    before every processed record of the same code version.
    """
    return f"{version_key(version)}|{version_key(model_version) if model_version else ''}"


def fingerprint(record: ArticleRecord, data: dict[str, Any] | None = None) -> str:
    """What makes two writes of one article the same write (everything but the clock).

    ``data`` is ``record.model_dump(mode="json")`` when the caller has it already.
    """
    payload = record.model_dump(mode="json") if data is None else data
    payload = {key: value for key, value in payload.items() if key != "processed_at"}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


#: The record's bulky attributes, written last and the largest (entities, with every
#: mention) at the very end. DynamoDB ignores the order of an item's attributes; moto
#: re-sums the size of the whole item for each attribute it stores, so this order keeps
#: the local emulation from walking the entity list once per later attribute.
_BULKY = ("text", "warnings", "images", "removed", "figures", "entities")


def _to_item(data: dict[str, Any]) -> dict[str, Any]:
    """A JSON-like dict as DynamoDB attributes (top-level None left out).

    The same attributes as ``TypeSerializer`` over the JSON round trip with floats read as
    ``Decimal``, without the round trip: every number still goes through the serializer.
    """
    return {key: _attribute(value) for key, value in data.items() if value is not None}


def _attribute(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, bool) or value is None:
        return _serializer.serialize(value)
    if isinstance(value, float):
        # As json.dumps then parse_float=Decimal: the shortest repr; nan/inf stay floats,
        # which the serializer refuses as before.
        return _serializer.serialize(Decimal(repr(value)) if math.isfinite(value) else value)
    if isinstance(value, int):
        return _serializer.serialize(value)
    if isinstance(value, dict):
        # Keys as JSON writes them (1 -> "1", True -> "true").
        return {"M": {_key(key): _attribute(item) for key, item in value.items()}}
    if isinstance(value, (list, tuple)):
        return {"L": [_attribute(item) for item in value]}
    return _serializer.serialize(json.loads(json.dumps(value), parse_float=Decimal))


def _key(key: Any) -> str:
    return key if isinstance(key, str) else json.dumps(key)


def _from_item(item: dict[str, Any]) -> dict[str, Any]:
    data = {key: _deserializer.deserialize(value) for key, value in item.items()}
    return json.loads(json.dumps(data, default=_decimal))


def _decimal(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def record_size(record: ArticleRecord) -> int:
    return len(record.model_dump_json(exclude_none=True).encode())


#: Replace what is there only if the write is newer, or the same event with other content.
NEWER = (
    "attribute_not_exists(pk) OR order_key < :order"
    " OR (order_key = :order AND fingerprint <> :fingerprint AND version_key <= :version)"
)
#: A transient failure (retries ran out) may only replace nothing or another failure.
FAILURE_ONLY = "attribute_not_exists(pk) OR (#status = :failed AND order_key <= :order)"


def put_record(dynamodb, table: str, record: ArticleRecord, entities: list[Entity] | None = None) -> bool:
    """Write the record and an item per entity; False when the stored one wins.

    ``entities`` defaults to the record's own; pass the full list when the record's was
    moved to S3 for size, so that every entity stays searchable.
    """
    data = record.model_dump(mode="json")
    item = _to_item(
        {
            **{key: value for key, value in data.items() if key not in _BULKY},
            "pk": article_pk(record.article_id),
            "sk": RECORD_SK,
            "order_key": order_key(record.source.sequencer),
            "version_key": version_key(record.pipeline.version),
            "pipeline_rank": pipeline_rank(record.pipeline.version, record.pipeline.model_version),
            "fingerprint": fingerprint(record, data),
            **{key: data[key] for key in _BULKY if key in data},
        }
    )
    entities = record.entities if entities is None else entities
    transient = record.error is not None and record.error.kind == RETRIES_EXHAUSTED
    if transient:
        condition, names = FAILURE_ONLY, {"#status": "status"}
        values = {":order": item["order_key"], ":failed": {"S": "failed"}}
    else:
        condition, names = NEWER, {}
        values = {":order": item["order_key"], ":fingerprint": item["fingerprint"], ":version": item["version_key"]}
    try:
        response = dynamodb.put_item(
            TableName=table,
            Item=item,
            ConditionExpression=condition,
            ExpressionAttributeValues=values,
            ReturnValues="ALL_OLD",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
            **({"ExpressionAttributeNames": names} if names else {}),
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise
        stored = error.response.get("Item", {})
        if stored.get("fingerprint") == item["fingerprint"]:
            # The same write again: its entity items may be what a crash left unwritten.
            _replace_entity_items(dynamodb, table, record, entities, replaced=True)
        return False
    replaced = "Attributes" in response  # a new article has no entity items to clean up
    _replace_entity_items(dynamodb, table, record, entities, replaced=replaced)
    return True


def _entity_items(record: ArticleRecord, entities: list[Entity]) -> dict[str, dict[str, Any]]:
    items = {}
    for entity in entities:
        sk = f"ENTITY#{entity.label}#{' '.join(entity.name.lower().split())}"
        items[sk] = {
            "pk": article_pk(record.article_id),
            "sk": sk,
            "entity_key": entity_key(entity.name),
            "entity_sort": f"{entity.label}#{record.article_id}",
            "article_id": record.article_id,
            "name": entity.name,
            "label": entity.label,
            "count": entity.count,
            "salience": entity.salience,
            "title": record.title,
            "published": record.published,
        }
    return items


def _replace_entity_items(
    dynamodb, table: str, record: ArticleRecord, entities: list[Entity], *, replaced: bool
) -> None:
    """Put the record's entity items and delete those a previous version left behind."""
    wanted = _entity_items(record, entities)
    existing = _entity_sort_keys(dynamodb, table, record.article_id) if replaced else []
    stale = [sk for sk in existing if sk not in wanted]
    requests = [{"PutRequest": {"Item": _to_item(item)}} for item in wanted.values()]
    requests += [
        {"DeleteRequest": {"Key": _to_item({"pk": article_pk(record.article_id), "sk": sk})}} for sk in stale
    ]
    for start in range(0, len(requests), 25):
        _batch_write(dynamodb, table, requests[start : start + 25])


def _batch_write(dynamodb, table: str, requests: list[dict[str, Any]], attempts: int = 8) -> None:
    pending = {table: requests}
    for _ in range(attempts):
        response = dynamodb.batch_write_item(RequestItems=pending)
        pending = response.get("UnprocessedItems") or {}
        if not pending:
            return
    raise RuntimeError(f"DynamoDB left {len(pending.get(table, []))} entity writes unprocessed")


def _entity_sort_keys(dynamodb, table: str, article_id: str) -> list[str]:
    keys: list[str] = []
    paginator = dynamodb.get_paginator("query")
    for page in paginator.paginate(
        TableName=table,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues={":pk": {"S": article_pk(article_id)}, ":prefix": {"S": "ENTITY#"}},
        ProjectionExpression="sk",
    ):
        keys += [item["sk"]["S"] for item in page["Items"]]
    return keys


def get_record(dynamodb, table: str, article_id: str) -> ArticleRecord | None:
    response = dynamodb.get_item(
        TableName=table, Key={"pk": {"S": article_pk(article_id)}, "sk": {"S": RECORD_SK}}, ConsistentRead=True
    )
    if "Item" not in response:
        return None
    return ArticleRecord.model_validate(_from_item(response["Item"]))


def find_by_entity(dynamodb, table: str, name: str, label: str | None = None) -> list[dict[str, Any]]:
    """Entity items (article id, title, label, count, salience) of articles mentioning ``name``."""
    condition = "entity_key = :key"
    values: dict[str, Any] = {":key": {"S": entity_key(name)}}
    if label:
        condition += " AND begins_with(entity_sort, :label)"
        values[":label"] = {"S": f"{label}#"}
    found: list[dict[str, Any]] = []
    paginator = dynamodb.get_paginator("query")
    for page in paginator.paginate(
        TableName=table, IndexName=ENTITY_INDEX, KeyConditionExpression=condition, ExpressionAttributeValues=values
    ):
        found += [_from_item(item) for item in page["Items"]]
    return found


def get_records(dynamodb, table: str, article_ids: list[str], projection: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Record items by article id (BatchGetItem, 100 keys a call); absent ids are absent.

    With ``projection`` only those top-level attributes come back (``article_id`` always).
    """
    params: dict[str, Any] = {}
    if projection:
        names = {f"#a{n}": name for n, name in enumerate(dict.fromkeys(["article_id", *projection]))}
        params = {"ProjectionExpression": ", ".join(names), "ExpressionAttributeNames": names}
    found: dict[str, dict[str, Any]] = {}
    unique = list(dict.fromkeys(article_ids))
    for start in range(0, len(unique), 100):
        keys = [{"pk": {"S": article_pk(i)}, "sk": {"S": RECORD_SK}} for i in unique[start : start + 100]]
        pending: dict[str, Any] = {table: {"Keys": keys, "ConsistentRead": True, **params}}
        for _ in range(8):
            response = dynamodb.batch_get_item(RequestItems=pending)
            for item in response.get("Responses", {}).get(table, []):
                data = _from_item(item)
                found[data["article_id"]] = data
            pending = response.get("UnprocessedKeys") or {}
            if not pending:
                break
        else:
            raise RuntimeError(f"DynamoDB left {len(pending[table]['Keys'])} record reads unprocessed")
    return found


def delete_record(dynamodb, table: str, article_id: str) -> int:
    """Delete the record and its entity items; returns how many items went."""
    sort_keys = [RECORD_SK, *_entity_sort_keys(dynamodb, table, article_id)]
    requests = [{"DeleteRequest": {"Key": _to_item({"pk": article_pk(article_id), "sk": sk})}} for sk in sort_keys]
    for start in range(0, len(requests), 25):
        _batch_write(dynamodb, table, requests[start : start + 25])
    return len(requests)
