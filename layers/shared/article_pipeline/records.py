"""DynamoDB adapter: the article record and the entity items that index it.

Layout (one table):
- ``pk=ARTICLE#<id>, sk=RECORD``: the record, as native DynamoDB attributes.
- ``pk=ARTICLE#<id>, sk=ENTITY#<label>#<name>``: one item per entity, projected into
  ``EntityIndex`` (``entity_key=ENTITY#<name>``, ``entity_sort=<label>#<id>``), so "articles
  that mention X" is a Query.

Writes are conditional: the same input twice changes nothing (not even ``processed_at``),
and an older S3 event (by ``sequencer``) never replaces a newer record.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from .models import ArticleRecord

RECORD_SK = "RECORD"
ENTITY_INDEX = "EntityIndex"
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


def fingerprint(record: ArticleRecord) -> str:
    """What makes two writes of one article the same write (everything but the clock)."""
    payload = record.model_dump(mode="json", exclude={"processed_at"})
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _to_item(data: dict[str, Any]) -> dict[str, Any]:
    plain = json.loads(json.dumps(data), parse_float=Decimal)
    return {key: _serializer.serialize(value) for key, value in plain.items() if value is not None}


def _from_item(item: dict[str, Any]) -> dict[str, Any]:
    data = {key: _deserializer.deserialize(value) for key, value in item.items()}
    return json.loads(json.dumps(data, default=_decimal))


def _decimal(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def record_size(record: ArticleRecord) -> int:
    return len(record.model_dump_json(exclude_none=True).encode())


def put_record(dynamodb, table: str, record: ArticleRecord) -> bool:
    """Write the record and its entity items; False when the stored one wins."""
    attributes = record.model_dump(mode="json")
    item = _to_item(
        {
            **attributes,
            "pk": article_pk(record.article_id),
            "sk": RECORD_SK,
            "order_key": order_key(record.source.sequencer),
            "fingerprint": fingerprint(record),
        }
    )
    try:
        dynamodb.put_item(
            TableName=table,
            Item=item,
            ConditionExpression=(
                "attribute_not_exists(pk) OR order_key < :order"
                " OR (order_key = :order AND fingerprint <> :fingerprint)"
            ),
            ExpressionAttributeValues={":order": item["order_key"], ":fingerprint": item["fingerprint"]},
        )
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return False
        raise
    _replace_entity_items(dynamodb, table, record)
    return True


def _entity_items(record: ArticleRecord) -> dict[str, dict[str, Any]]:
    items = {}
    for entity in record.entities:
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


def _replace_entity_items(dynamodb, table: str, record: ArticleRecord) -> None:
    """Put the record's entity items and delete those a previous version left behind."""
    wanted = _entity_items(record)
    stale = [sk for sk in _entity_sort_keys(dynamodb, table, record.article_id) if sk not in wanted]
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
