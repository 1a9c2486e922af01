"""The stress test: at least 4 instances per stage, as separate processes, and 500+ S3 events.

Over 50 keys: overwrites within the same second, deletes, re-uploads after a delete,
duplicate deliveries, one DLQ redrive and one replay in the middle; then every key checked
(``measurement.stress``).
"""

from __future__ import annotations

import pytest

from article_pipeline_local.measurement.stress import run_stress
from support import LEDGER

pytestmark = pytest.mark.slow

@pytest.fixture(scope="module")
def findings():
    found = run_stress(keys=50, events=500, concurrency=4)
    LEDGER.articles += found.keys
    LEDGER.lost += len(found.lost)
    LEDGER.double_writes += found.double_writes
    LEDGER.stress = found.summary()
    print(found.summary())
    return found


def test_the_storm_is_as_big_as_promised_and_ran_on_4_instances_per_stage(findings):
    assert findings.events >= 500 and findings.keys >= 50
    assert findings.deleted_keys > 0
    assert findings.instances == {"CleanFunction": 4, "ExtractFunction": 4, "StoreFunction": 4}


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
