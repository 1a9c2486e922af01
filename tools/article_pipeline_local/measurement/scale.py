"""The scale plan's numbers: a day of 1M articles with a burst of 100k in one hour, simulated
second by second through the three queues, from what the cost run measured.

Each stage drains its queue at most at ``MaximumConcurrency`` (template.yaml) times what one
instance does: Lambda gives CPU in proportion to memory (one vCPU at 1,769 MB), so an
instance takes the article's measured CPU seconds divided by its share. The hottest entity's
writes per second come from the share of articles that mention it in the same run.

On the provisioned table (``simulate_provisioned``) Store also writes no faster than the
table's capacities allow, and each capacity follows its use as target tracking moves it;
what a day of that capacity costs, over the units it carried, is the price of a unit used
that ``make bench`` bills.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from dataclasses import dataclass

from ..emulation.template import Template

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


#: DynamoDB keeps up to this many seconds of unused provisioned capacity for bursts.
BURST_SECONDS = 300
#: Target tracking (DynamoDB's alarms): raise after this many minutes above the target...
SCALE_OUT_MINUTES = 2
#: ...lower after this many minutes 20 points below it, and at most once an hour
#: (DynamoDB takes up to 27 decreases a day)...
SCALE_IN_MINUTES = 15
SCALE_IN_GAP_MINUTES = 60
#: ...and the new capacity applies this long after the decision (the table update).
SCALE_DELAY_SECONDS = 60


@dataclass
class Capacity:
    """One auto-scaled capacity of the table: its writes or reads, or its index's."""

    name: str
    units_per_article: float
    minimum: float
    maximum: float
    hourly_price: float

    def equilibrium(self, rate: float) -> float:
        """What target tracking settles at for ``rate`` articles a second."""
        return min(self.maximum, max(self.minimum, math.ceil(rate * self.units_per_article / TARGET_UTILISATION)))


def capacities(write_units: dict[str, float], read_units: float, template: Template | None = None) -> list[Capacity]:
    """The table's capacities with the template's bounds; ``write_units``: per article, by
    ``table`` and index name (the cost run's ``wcu_*``), ``read_units`` per article."""
    template = template or Template()
    bound = {name: float(template.parameters[f"Table{name}Capacity"]) for name in ("MinWrite", "MaxWrite", "MinRead", "MaxRead")}
    found = [
        Capacity(f"{where} writes", units, bound["MinWrite"], bound["MaxWrite"], WCU_HOUR) for where, units in write_units.items()
    ]
    found.append(Capacity("table reads", read_units, bound["MinRead"], bound["MaxRead"], RCU_HOUR))
    found += [Capacity(f"{where} reads", 0.0, bound["MinRead"], bound["MaxRead"], RCU_HOUR) for where in write_units if where != "table"]
    return found


def simulate_provisioned(
    plans: list[StagePlan], table: list[Capacity], per_day: int = 1_000_000, burst: int = 0, burst_hour: int = 12,
    saved_seconds: int = BURST_SECONDS,
) -> dict:
    """A day on a provisioned table, second by second: Store writes no faster than the
    capacities (and their saved burst) allow, the rest waits in its queue, and target tracking
    moves each capacity a minute at a time as DynamoDB's alarms do. The day starts settled at
    the steady load. ``saved_seconds``: the burst capacity DynamoDB keeps (it promises none)."""
    steady = per_day / 86_400
    provisioned = [c.equilibrium(steady) for c in table]
    saved = [saved_seconds * p for p in provisioned]
    used_minute = [0.0] * len(table)
    above, below = [0] * len(table), [0] * len(table)
    last_decrease = [-SCALE_IN_GAP_MINUTES] * len(table)
    pending: list[tuple[int, int, float]] = []  # (second, capacity, units)
    dollars = [0.0] * len(table)
    lowest, highest = list(provisioned), list(provisioned)
    used_total = [0.0] * len(table)
    throttled_seconds = 0
    depth = [0.0] * len(plans)
    worst = [0.0] * len(plans)
    drained_at = None
    for second in range(86_400):
        for at, n, units in [p for p in pending if p[0] == second]:
            provisioned[n] = units
            lowest[n], highest[n] = min(lowest[n], units), max(highest[n], units)
        pending = [p for p in pending if p[0] > second]
        arriving = steady + (burst / 3600 if burst_hour * 3600 <= second < (burst_hour + 1) * 3600 else 0.0)
        for n, plan in enumerate(plans):
            depth[n] += arriving
            done = min(depth[n], plan.capacity)
            if n == len(plans) - 1:  # Store: as fast as the table takes it
                room = min(
                    (provisioned[i] + saved[i]) / c.units_per_article for i, c in enumerate(table) if c.units_per_article
                )
                if room < done:
                    done, throttled_seconds = room, throttled_seconds + 1
            depth[n] -= done
            worst[n] = max(worst[n], depth[n])
            arriving = done
        for i, c in enumerate(table):
            used = arriving * c.units_per_article
            saved[i] = min(saved_seconds * provisioned[i], saved[i] + provisioned[i] - used)
            used_minute[i] += used
            used_total[i] += used
            dollars[i] += provisioned[i] * c.hourly_price / 3600
        if second >= (burst_hour + 1) * 3600 and drained_at is None and sum(depth) < len(plans):
            drained_at = second - (burst_hour + 1) * 3600
        if second % 60 == 59:  # the alarms' one-minute datapoints
            minute = second // 60
            for i, c in enumerate(table):
                rate = used_minute[i] / 60
                used_minute[i] = 0.0
                wanted = min(c.maximum, max(c.minimum, math.ceil(rate / TARGET_UTILISATION)))
                utilisation = rate / provisioned[i]
                above[i] = above[i] + 1 if utilisation > TARGET_UTILISATION else 0
                below[i] = below[i] + 1 if utilisation < TARGET_UTILISATION - 0.20 else 0
                if above[i] >= SCALE_OUT_MINUTES and wanted > provisioned[i] and not any(p[1] == i for p in pending):
                    pending.append((second + SCALE_DELAY_SECONDS, i, wanted))
                    above[i] = 0
                elif below[i] >= SCALE_IN_MINUTES and minute - last_decrease[i] >= SCALE_IN_GAP_MINUTES and wanted < provisioned[i]:
                    pending.append((second + SCALE_DELAY_SECONDS, i, wanted))
                    below[i], last_decrease[i] = 0, minute
    articles = per_day + burst
    return {
        "per_day": sum(dollars),
        "per_million": sum(dollars) / articles * 1e6,
        "capacities": [
            {"name": c.name, "dollars": d, "lowest": lo, "highest": hi, "used": u, "per_unit": d / u if u else 0.0}
            for c, d, lo, hi, u in zip(table, dollars, lowest, highest, used_total)
        ],
        "throttled_seconds": throttled_seconds,
        "worst_backlog": worst,
        "drained_after_burst": drained_at,
    }


def hottest_entity(entity_keys: Counter, articles: int) -> tuple[str, float]:
    """The entity in the largest share of articles, and that share."""
    if not entity_keys:
        return "", 0.0
    name, count = entity_keys.most_common(1)[0]
    return name, count / articles


def by_volume(plans: list[StagePlan], table: list[Capacity], volumes=(10_000, 30_000, 100_000, 300_000, 1_000_000)) -> dict[int, float]:
    """DynamoDB's dollars per million articles on the provisioned table, at steady daily volumes:
    below what the minimum capacities carry, they are paid for all the same."""
    return {volume: simulate_provisioned(plans, table, volume)["per_million"] for volume in volumes}


def report(plans: list[StagePlan], result: dict, hot: tuple[str, float], cost_per_million: float,
           retention_seconds: dict[str, int], provisioned: tuple[dict, dict, dict] | None = None, dynamodb_per_million: float = 0.0,
           on_demand_per_million: float = 0.0, volumes: dict[int, float] | None = None,
           dynamodb_on_demand: float = 0.0, out=None) -> None:
    """``provisioned``: the steady day, the burst day, and the burst day without burst capacity
    on the provisioned table, when it is;
    ``volumes``: its DynamoDB dollars per million articles by daily volume."""
    out = out or sys.stdout
    w = lambda line="": print(line, file=out)  # noqa: E731
    w(f"\nScale plan, simulated: 1M articles a day ({result['steady_rate']:.1f}/s) plus 100k in one hour"
      f" ({result['burst_rate']:.1f}/s during it):")
    for plan, backlog, wait, busy in zip(plans, result["worst_backlog"], result["worst_wait"], result["peak_concurrency"]):
        w(
            f"  {plan.function:<16} {plan.memory_mb:5d} MB, {plan.seconds_per_article * 1000:6.1f} ms/article at its CPU share,"
            f" MaximumConcurrency {plan.max_concurrency:3d} -> {plan.capacity:7.1f} articles/s; peak {busy:5.1f} instances busy,"
            f" worst backlog {backlog:8.0f} ({wait / 60:6.1f} min) with the table on demand;"
            f" {plan.queue} keeps messages {retention_seconds.get(plan.queue, 345_600) / 86_400:.0f} days"
        )
    name, share = hot
    w(
        f"  hottest entity {name!r}: in {share * 100:.0f} % of articles -> {share * result['steady_rate']:.1f} writes/s"
        f" steady, {share * result['burst_rate']:.1f}/s in the burst (one partition takes {PARTITION_WRITE_UNITS} write units/s)"
    )
    if not provisioned:
        w(f"  cost per day (on demand): ${cost_per_million:.2f} for 1M articles, ${cost_per_million * 1.1:.2f} on the day with the burst")
        return
    steady, burst, unsaved = provisioned
    other = cost_per_million - dynamodb_per_million
    w(
        f"  table provisioned, auto scaling at {TARGET_UTILISATION:.0%} (up after {SCALE_OUT_MINUTES} min above,"
        f" down after {SCALE_IN_MINUTES} min 20 points below, at most hourly; {BURST_SECONDS} s of unused capacity saved):"
    )
    for label, day in (("steady day", steady), ("burst day", burst), ("burst day, no saved capacity", unsaved)):
        drained = day["drained_after_burst"]
        w(
            f"    {label}: DynamoDB ${day['per_day']:.2f}"
            f" (" + ", ".join(f"{c['name']} {c['lowest']:.0f}-{c['highest']:.0f}" for c in day["capacities"]) + " units);"
            f" Store held back {day['throttled_seconds'] / 60:.0f} min, ExtractedQueue's worst backlog {day['worst_backlog'][-1]:.0f}"
            + (f", empty {drained / 60:.0f} min after the burst hour" if label.startswith("burst") and drained is not None else "")
        )
    w(
        f"  cost per day: ${other + steady['per_day']:.2f} for 1M articles, ${other * 1.1 + burst['per_day']:.2f} on the day"
        f" with the burst (on demand: ${on_demand_per_million:.2f} and ${on_demand_per_million * 1.1:.2f})"
    )
    if volumes:
        w(
            "  DynamoDB $ per million articles by steady daily volume, provisioned: "
            + ", ".join(f"{v // 1000}k {d:.2f}" for v, d in volumes.items())
            + f"; on demand {dynamodb_on_demand:.2f} at any volume"
        )
