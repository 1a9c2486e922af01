"""The scale plan's simulation: queues absorb what the concurrency caps cannot take at once."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from article_pipeline_local.measurement.scale import Capacity, StagePlan, capacities, hottest_entity, simulate, simulate_provisioned, stage_plans


def plan(capacity_per_instance: float, instances: int) -> StagePlan:
    return StagePlan("F", "Q", 1769, instances, 1 / capacity_per_instance)


def test_a_burst_beyond_the_cap_waits_in_the_queue_and_drains():
    result = simulate([plan(10.0, 2)], per_day=864_000, burst=100_000)  # 10/s steady, cap 20/s
    (backlog,) = result["worst_backlog"]
    # 10 + 27.8 arrive a second during the burst hour, 20 leave: ~17.8/s pile up
    assert 60_000 < backlog < 66_000
    assert result["drained_after_burst"] is not None and result["drained_after_burst"] > 3600


def test_enough_capacity_means_no_backlog():
    result = simulate([plan(100.0, 10)], per_day=1_000_000, burst=100_000)
    assert result["worst_backlog"] == [0.0] and result["drained_after_burst"] == 0


def test_template_caps_and_memory_set_each_stage_capacity():
    plans = {p.function: p for p in stage_plans({"CleanFunction": 0.01, "ExtractFunction": 0.05, "StoreFunction": 0.01})}
    extract = plans["ExtractFunction"]
    assert extract.memory_mb <= 1769 and extract.max_concurrency <= 20
    assert extract.seconds_per_article == 0.05 * 1769 / extract.memory_mb
    assert plans["StoreFunction"].seconds_per_article > 0.01  # 256 MB is a fraction of a vCPU


def test_the_hottest_entity_is_the_one_in_most_articles():
    assert hottest_entity(Counter({"us": 9, "bergen": 2}), 25) == ("us", 0.36)


def table(write_units: float = 18.0, minimum: float = 25, maximum: float = 4000) -> list[Capacity]:
    return [
        Capacity("table writes", write_units, minimum, maximum, 0.00065),
        Capacity("table reads", 1.0, 5, 2000, 0.00013),
    ]


def test_a_steady_day_settles_at_the_target_and_pays_by_the_hour():
    day = simulate_provisioned([plan(100.0, 10)] * 3, table(), per_day=1_000_000)
    writes, reads = day["capacities"]
    steady = 1_000_000 / 86_400
    assert writes["lowest"] == writes["highest"] == math.ceil(steady * 18 / 0.7)
    assert writes["dollars"] == pytest.approx(24 * writes["lowest"] * 0.00065)
    # a unit used costs the hourly price over the units an hour uses at 70 %
    assert writes["per_unit"] == pytest.approx(writes["lowest"] * 0.00065 / 3600 / (steady * 18), rel=1e-6)
    assert day["throttled_seconds"] == 0 and day["worst_backlog"] == [0.0, 0.0, 0.0]


def test_a_burst_past_the_saved_capacity_waits_in_store_s_queue_until_auto_scaling_catches_up():
    # 50k in an hour on a table at its minimum: Store is held back, then capacity follows
    day = simulate_provisioned([plan(100.0, 10)] * 3, table(minimum=25), per_day=10_000, burst=50_000)
    writes = day["capacities"][0]
    assert day["throttled_seconds"] > 60 and day["worst_backlog"][-1] > 100
    assert day["worst_backlog"][:2] == [0.0, 0.0]  # only Store's queue waits
    assert writes["highest"] >= math.ceil(50_000 / 3600 * 18 / 0.7) and writes["lowest"] == 25
    assert day["drained_after_burst"] is not None  # all written the same day
    # and it scales back in afterwards, so the day costs far less than the peak all day
    assert day["per_day"] < 0.5 * 24 * writes["highest"] * 0.00065


def test_capacity_bounds_come_from_the_template():
    found = {c.name: c for c in capacities({"table": 18.0, "StatusIndex": 1.0}, 1.0)}
    assert set(found) == {"table writes", "StatusIndex writes", "table reads", "StatusIndex reads"}
    assert found["table writes"].minimum == 25 and found["table writes"].maximum == 4000
    assert found["StatusIndex reads"].units_per_article == 0.0  # paid at its minimum, used by replays
