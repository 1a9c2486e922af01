"""The scale plan's simulation: queues absorb what the concurrency caps cannot take at once."""

from __future__ import annotations

from collections import Counter

from article_pipeline_local.scale import StagePlan, hottest_entity, simulate, stage_plans


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


def test_provisioned_for_the_steady_load_holds_store_and_the_burst_waits():
    from article_pipeline_local.scale import provisioned_alternative

    plans = [plan(100.0, 10), plan(100.0, 10), plan(100.0, 10)]
    result = provisioned_alternative(plans, write_units=20.0, read_units=1.0, per_day=1_000_000, burst=100_000)
    steady = 1_000_000 / 86_400
    assert result["wcu"] == steady * 20 / 0.7
    assert abs(result["store_rate"] - steady / 0.7) < 1e-9  # what the capacity writes
    assert result["worst_backlog"][-1] > 50_000 and result["worst_backlog"][0] == 0.0
    assert result["per_day"] == 24 * (result["wcu"] * 0.00065 + result["rcu"] * 0.00013)
