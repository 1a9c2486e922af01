"""The stress test: at least 4 instances per stage, as separate processes, and 500+ S3 events.

Over 50 keys: overwrites within the same second, deletes, re-uploads after a delete,
duplicate deliveries, one DLQ redrive and one replay in the middle; then every key checked
(``measurement.stress``).
"""

from __future__ import annotations

import pytest

from article_pipeline_local.measurement.stress import SCENARIOS, run_stress
from support import LEDGER

pytestmark = pytest.mark.slow

# (keys, events): `make test` plays a smaller storm, every scenario of the full one on the
# same 4 instances per stage (test_every_scenario_was_played); `make check` plays the
# promised 500 events over 50 keys.
STORMS = [
    pytest.param((12, 120), id="12-keys"),
    pytest.param((50, 500), id="50-keys", marks=pytest.mark.check),
]


@pytest.fixture(scope="module", params=STORMS)
def size(request):
    return request.param


@pytest.fixture(scope="module")
def findings(size):
    keys, events = size
    found = run_stress(keys=keys, events=events, concurrency=4)
    LEDGER.articles += found.keys
    LEDGER.lost += len(found.lost)
    LEDGER.double_writes += found.double_writes
    LEDGER.stress = found.summary()
    print(found.summary())
    return found


def test_the_storm_is_as_big_as_promised_and_ran_on_4_instances_per_stage(findings, size):
    keys, events = size
    assert findings.events >= events and findings.keys >= keys
    assert findings.deleted_keys > 0
    assert findings.instances == {"CleanFunction": 4, "ExtractFunction": 4, "StoreFunction": 4}


def test_every_scenario_was_played(findings):
    assert [scenario for scenario in SCENARIOS if not findings.played[scenario]] == [], findings.played


def test_every_key_with_a_current_object_has_that_versions_record(findings):
    assert findings.lost == []
    assert findings.wrong_record == []


def test_every_deleted_key_has_a_deleted_record_no_entity_items_and_no_documents(findings):
    assert findings.not_deleted == [] and findings.leftover_documents == []


def test_every_live_key_keeps_its_records_documents_and_no_other_version(findings):
    assert findings.wrong_documents == []


def test_search_returns_exactly_what_the_current_records_name(findings):
    assert findings.stale_search == [] and findings.missing_search == []
    assert findings.wrong_answers == []


def test_no_record_content_is_written_twice(findings):
    assert findings.double_writes == 0
