"""Every file in events/ is accepted by the function the template wires it to."""

from __future__ import annotations

import json

import pytest

from article_pipeline_local.emulation.invoke import invoke_function
from support import ROOT

EVENTS = {path.name: path for path in (ROOT / "events").glob("*.json")}
FUNCTIONS = {"clean.json": "CleanFunction", "extract.json": "ExtractFunction", "store.json": "StoreFunction"}


def test_every_event_file_names_a_function():
    assert set(FUNCTIONS) <= set(EVENTS)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_event_file_is_processed_without_failures(name):
    response = invoke_function(FUNCTIONS[name], json.loads(EVENTS[name].read_text()), log_level="WARNING")
    assert response == {"batchItemFailures": []}


def test_a_quiet_function_prints_no_metrics_however_many_it_adds(stack, capfd):
    """Powertools never flushes disabled metrics, yet prints a metric once it holds 100
    values; the local runtime drops them after each quiet call."""
    import types

    from aws_lambda_powertools import Metrics
    from aws_lambda_powertools.metrics import MetricUnit

    from article_pipeline_local.emulation.runtime import load_functions

    function = load_functions(stack, log_level="CRITICAL")["StoreFunction"]

    def handler(event, context):
        Metrics().add_metric(name="RecordsWritten", unit=MetricUnit.Count, value=1)
        return {"batchItemFailures": []}

    function._module = types.SimpleNamespace(lambda_handler=handler)  # a counting stand-in for app.py
    for _ in range(150):
        function.invoke({"Records": []})
    assert "_aws" not in capfd.readouterr().err
