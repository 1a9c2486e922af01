"""The bill per article: DynamoDB's sizes and units, the call meter, and its independent check."""

from __future__ import annotations

import boto3
import pytest

from article_pipeline_local.measurement.cost import (
    CallMeter,
    attribute_bytes,
    independent_check,
    independent_parts,
    item_bytes,
    measure_cost,
    read_units,
    write_units,
)
from article_pipeline_local.emulation.template import Template
from support import ROOT


def test_item_sizes_follow_dynamodbs_rules():
    assert attribute_bytes({"S": "Bergen"}) == 6
    assert attribute_bytes({"S": "\u00e9t\u00e9"}) == 5  # UTF-8 bytes
    assert attribute_bytes({"N": "12345"}) == 4  # ceil(5 digits / 2) + 1
    assert attribute_bytes({"BOOL": True}) == attribute_bytes({"NULL": True}) == 1
    assert attribute_bytes({"B": b"\x00" * 10}) == 10
    assert attribute_bytes({"L": [{"S": "ab"}, {"N": "1"}]}) == 3 + (1 + 2) + (1 + 2)
    assert item_bytes({"pk": {"S": "ARTICLE#a1"}, "sk": {"S": "RECORD"}}) == 2 + 10 + 2 + 6
    assert [write_units(n) for n in (1, 1024, 1025)] == [1, 1, 2]
    assert read_units(4097, consistent=True) == 2 and read_units(100, consistent=False) == 0.5


def test_the_meter_counts_table_and_index_writes_as_the_projections_make_them(stack):
    dynamodb = boto3.client("dynamodb")
    meter = CallMeter(Template())
    meter.register(dynamodb, owner="test")
    record = {"pk": {"S": "ARTICLE#a1"}, "sk": {"S": "RECORD"}, "status": {"S": "processed"},
              "pipeline_rank": {"S": "1|3.8.0"}, "text": {"S": "x" * 1500}}
    dynamodb.put_item(TableName=stack.table, Item=record)
    entity = {"pk": {"S": "ENTITY#bergen"}, "sk": {"S": "GPE#a1"}, "name": {"S": "Bergen"}}
    dynamodb.batch_write_item(RequestItems={stack.table: [{"PutRequest": {"Item": entity}}]})
    units = meter.units()
    # the record: 2 KB in the table, its small projection in StatusIndex; the entity: 1
    assert units["wcu_table"] == 2 + 1 and units["wcu_StatusIndex"] == 1
    dynamodb.get_item(TableName=stack.table, Key={"pk": record["pk"], "sk": record["sk"]}, ConsistentRead=True)
    assert meter.units()["rcu"] == 1
    ((who, service, operation), count), *_ = meter.counts.items()
    assert (who, service, operation, count.calls) == ("test", "dynamodb", "PutItem", 1)


@pytest.fixture(scope="module")
def cost_run():
    files = [ROOT / "events" / "seed" / "incoming" / "harbour-bridge.txt", ROOT / "tests" / "cleaning" / "fixtures" / "article.html"]
    return measure_cost(files, 4)


def test_a_run_is_counted_and_moto_agrees_within_ten_percent(cost_run):
    assert cost_run.processed == cost_run.articles == 4
    for what, counted, seen in independent_check(cost_run):
        assert counted == pytest.approx(seen, rel=0.10), what
    parts = cost_run.parts()
    for name, seen in independent_parts(cost_run).items():
        assert parts[name] == pytest.approx(seen, rel=0.10), name
    assert set(parts) == {"DynamoDB", "S3", "Lambda", "SQS", "Logs"} and all(v > 0 for v in parts.values())
    # each function ran and logged at INFO
    assert {name for name, inv in cost_run.invocations.items() if inv.count} == {"CleanFunction", "ExtractFunction", "StoreFunction"}
    assert cost_run.logs.get("StoreFunction", 0) > 0


def test_small_documents_cost_no_s3_writes_and_entity_items_no_index_copy(cost_run):
    by_api = cost_run.meter.by_api()
    assert ("s3", "PutObject") not in by_api  # documents travel inline
    assert by_api[("s3", "GetObject")].calls == cost_run.articles  # Clean reads each upload once
    units = cost_run.meter.units()
    entity_writes = cost_run.entities  # one write unit per entity item, none for an index copy
    assert units["wcu_table"] - entity_writes <= 5 * cost_run.articles
    assert not [key for key in units if key.startswith("wcu_") and key not in ("wcu_table", "wcu_StatusIndex")]


def test_the_provisioned_table_is_billed_by_its_simulated_day_and_on_demand_beside_it(cost_run):
    assert cost_run.capacity_mode == "PROVISIONED" and cost_run.capacity is not None
    day = cost_run.capacity.simulated
    # what a unit used costs: the capacity-hours of a steady 1M-article day over the units it carried
    table_writes = next(c for c in day["capacities"] if c["name"] == "table writes")
    assert cost_run.capacity.per_unit["wcu_table"] == table_writes["dollars"] / table_writes["used"]
    assert 0.2e-6 < cost_run.capacity.per_unit["wcu_table"] < 0.625e-6  # below on demand's price
    provisioned, on_demand = cost_run.parts(), cost_run.parts(on_demand=True)
    assert provisioned["DynamoDB"] < on_demand["DynamoDB"]
    assert {k: v for k, v in provisioned.items() if k != "DynamoDB"} == {k: v for k, v in on_demand.items() if k != "DynamoDB"}
