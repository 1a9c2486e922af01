"""Every file in events/ is accepted by the function the template wires it to."""

from __future__ import annotations

import json

import pytest

from article_pipeline_local.invoke import invoke_function
from support import ROOT

EVENTS = {path.name: path for path in (ROOT / "events").glob("*.json")}
FUNCTIONS = {"clean.json": "CleanFunction", "extract.json": "ExtractFunction", "store.json": "StoreFunction"}


def test_every_event_file_names_a_function():
    assert set(FUNCTIONS) <= set(EVENTS)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_event_file_is_processed_without_failures(name):
    response = invoke_function(FUNCTIONS[name], json.loads(EVENTS[name].read_text()), log_level="WARNING")
    assert response == {"batchItemFailures": []}
