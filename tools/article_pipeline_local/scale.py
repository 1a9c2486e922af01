"""The scale plan's numbers: a day of 1M articles with a burst of 100k in one hour, simulated
second by second through the three queues, from what the cost run measured.

Each stage drains its queue at most at ``MaximumConcurrency`` (template.yaml) times what one
instance does: Lambda gives CPU in proportion to memory (one vCPU at 1,769 MB), so an
instance takes the article's measured CPU seconds divided by its share. The hottest entity's
writes per second come from the share of articles that mention it in the same run.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass

from .template import Template

MB_PER_VCPU = 1769
#: DynamoDB provisioned capacity, us-east-1 list prices (not in issue 14's table).
WCU_HOUR = 0.00065
RCU_HOUR = 0.00013
#: What table auto scaling keeps consumed / provisioned near (its usual target).
TARGET_UTILISATION = 0.70
#: DynamoDB's limit for one partition key (one entity's items).
PARTITION_WRITE_UNITS = 1000
STAGES = ("CleanFunction", "ExtractFunction", "StoreFunction")


@dataclass
class StagePlan:
    function: str
    queue: str
    memory_mb: int
    max_concurrency: int
    seconds_per_article: float  # at the function's CPU share

    @property
    def capacity(self) -> float:
        """Articles a second the stage can take at its concurrency cap."""
        return self.max_concurrency / self.seconds_per_article


def stage_plans(cpu_seconds: dict[str, float], template: Template | None = None) -> list[StagePlan]:
    """``cpu_seconds``: each stage's CPU seconds per article on one full core."""
    template = template or Template()
    plans = []
    for name in STAGES:
        function = template.functions()[name]
        (mapping,) = function.mappings
        props = template.resources[name]["Properties"]["Events"]
        scaling = next(iter(props.values()))["Properties"].get("ScalingConfig", {})
        share = min(1.0, function.memory / MB_PER_VCPU)
        plans.append(
            StagePlan(
                function=name,
                queue=mapping.queue,
                memory_mb=function.memory,
                max_concurrency=int(scaling.get("MaximumConcurrency", 1000)),
                seconds_per_article=cpu_seconds[name] / share,
            )
        )
    return plans


def simulate(plans: list[StagePlan], per_day: int = 1_000_000, burst: int = 100_000, burst_hour: int = 12) -> dict:
    """One day, second by second: a steady arrival of ``per_day`` plus ``burst`` in one hour."""
    steady = per_day / 86_400
    depth = [0.0] * len(plans)
    worst = [0.0] * len(plans)
    worst_wait = [0.0] * len(plans)
    busy = [0.0] * len(plans)
    drained_at = None
    for second in range(86_400):
        arriving = steady + (burst / 3600 if burst_hour * 3600 <= second < (burst_hour + 1) * 3600 else 0.0)
        for n, plan in enumerate(plans):
            depth[n] += arriving
            done = min(depth[n], plan.capacity)
            depth[n] -= done
            busy[n] = max(busy[n], done * plan.seconds_per_article)
            worst[n] = max(worst[n], depth[n])
            worst_wait[n] = max(worst_wait[n], depth[n] / plan.capacity)
            arriving = done
        if second >= (burst_hour + 1) * 3600 and drained_at is None and sum(depth) < len(plans) * 1.0:
            drained_at = second - (burst_hour + 1) * 3600
    return {
        "steady_rate": steady,
        "burst_rate": steady + burst / 3600,
        "worst_backlog": worst,
        "worst_wait": worst_wait,
        "peak_concurrency": busy,
        "drained_after_burst": drained_at,
    }


def provisioned_alternative(
    plans: list[StagePlan], write_units: float, read_units: float, per_day: int = 1_000_000, burst: int = 100_000
) -> dict:
    """The table provisioned (not on demand) for the steady load at the auto scaling target,
    with Store held to what that capacity writes: the burst waits in ExtractedQueue."""
    steady = per_day / 86_400
    wcu = steady * write_units / TARGET_UTILISATION
    rcu = steady * read_units / TARGET_UTILISATION
    store = plans[-1]
    held = StagePlan(store.function, store.queue, store.memory_mb, store.max_concurrency, store.seconds_per_article)
    held.seconds_per_article = max(store.seconds_per_article, held.max_concurrency * write_units / wcu)
    result = simulate([*plans[:-1], held], per_day, burst)
    return {"wcu": wcu, "rcu": rcu, "per_day": 24 * (wcu * WCU_HOUR + rcu * RCU_HOUR), "store_rate": held.capacity, **result}


def hottest_entity(entity_keys: Counter, articles: int) -> tuple[str, float]:
    """The entity in the largest share of articles, and that share."""
    if not entity_keys:
        return "", 0.0
    name, count = entity_keys.most_common(1)[0]
    return name, count / articles


def report(plans: list[StagePlan], result: dict, hot: tuple[str, float], cost_per_million: float,
           retention_seconds: dict[str, int], provisioned: dict | None = None, dynamodb_per_million: float = 0.0,
           out=None) -> None:
    out = out or sys.stdout
    w = lambda line="": print(line, file=out)  # noqa: E731
    w(f"\nScale plan, simulated: 1M articles a day ({result['steady_rate']:.1f}/s) plus 100k in one hour"
      f" ({result['burst_rate']:.1f}/s during it):")
    for plan, backlog, wait, busy in zip(plans, result["worst_backlog"], result["worst_wait"], result["peak_concurrency"]):
        w(
            f"  {plan.function:<16} {plan.memory_mb:5d} MB, {plan.seconds_per_article * 1000:6.1f} ms/article at its CPU share,"
            f" MaximumConcurrency {plan.max_concurrency:3d} -> {plan.capacity:7.1f} articles/s; peak {busy:5.1f} instances busy,"
            f" worst backlog {backlog:8.0f} ({wait / 60:6.1f} min); {plan.queue} keeps messages {retention_seconds.get(plan.queue, 345_600) / 86_400:.0f} days"
        )
    drained = result["drained_after_burst"]
    w(f"  queues empty again {'%.0f s' % drained if drained is not None else 'not within the day'} after the burst hour")
    name, share = hot
    w(
        f"  hottest entity {name!r}: in {share * 100:.0f} % of articles -> {share * result['steady_rate']:.1f} writes/s"
        f" steady, {share * result['burst_rate']:.1f}/s in the burst (one partition takes {PARTITION_WRITE_UNITS} write units/s)"
    )
    w(f"  cost per day: ${cost_per_million * 1.0:.2f} for 1M articles, ${cost_per_million * 1.1:.2f} on the day with the burst")
    if provisioned:
        other = cost_per_million - dynamodb_per_million
        drained = provisioned["drained_after_burst"]
        w(
            f"  alternative, the table provisioned at {TARGET_UTILISATION:.0%} of the steady load"
            f" ({provisioned['wcu']:.0f} WCU, {provisioned['rcu']:.0f} RCU at ${WCU_HOUR}/WCU-h, ${RCU_HOUR}/RCU-h):"
            f" DynamoDB ${provisioned['per_day']:.2f}/day, total ${other + provisioned['per_day']:.2f}/day;"
            f" Store held to {provisioned['store_rate']:.1f} articles/s, burst backlog"
            f" {provisioned['worst_backlog'][-1]:.0f}, empty {'%.1f h' % (drained / 3600) if drained is not None else 'not within the day'} after it"
        )
