"""A stage that would outlive its invocation on one article records that article as failed
(too_slow) on its first delivery, and stores every other article of the batch."""

from __future__ import annotations

import time

import pytest
from spacy.language import Language

from support import LEDGER

pytestmark = pytest.mark.slow  # sleeps out its budgets: make test-fast leaves it out

GOOD = "Ferry Service Resumes\n\nThe ferry between Stord and Bergen carried {n} cars on Friday, the operator said.\n"


@Language.component("injected_endless_component")
def endless(doc):
    if "HANG" in doc.text:
        time.sleep(600)  # the article's timer interrupts it
    return doc


@pytest.fixture
def hanging_extract(chain):
    function = chain.pipeline.functions["ExtractFunction"]
    nlp = function.module().nlp  # the warm module, imported before the setting changes
    function.environment["ARTICLE_TIME_SHARE"] = "0.01"  # 2.9 s of its 300 s
    nlp.add_pipe("injected_endless_component", first=True)
    yield
    nlp.remove_pipe("injected_endless_component")


def drop_batch(chain, stage: str) -> list[str]:
    keys = [f"incoming/{stage}-{n}.txt" for n in range(5)]
    for n, key in enumerate(keys):
        chain.drop(key, (GOOD.format(n=n) + ("HANG\n" if n == 2 else "")).encode())
    chain.settle()
    return keys


def assert_only_the_hostile_one_failed(chain, keys: list[str], stage: str) -> None:
    records = [chain.record(key) for key in keys]
    assert [r.status for r in records] == ["processed", "processed", "failed", "processed", "processed"]
    error = records[2].error
    assert (error.stage, error.kind) == (stage, "too_slow"), error  # at once, not retries_exhausted


def test_extract_hanging_on_one_article_stores_the_rest(chain, hanging_extract):
    keys = drop_batch(chain, "extract")
    assert_only_the_hostile_one_failed(chain, keys, "extract")
    LEDGER.fault_kinds.add("Extract hanging on one article of a batch")


def test_clean_hanging_on_one_object_stores_the_rest(chain, monkeypatch):
    from article_pipeline.stages import clean as stage

    real = stage.clean_article

    def endless(raw, **kwargs):
        while b"HANG" in raw:
            pass  # busy, as a backtracking pattern would be
        return real(raw, **kwargs)

    monkeypatch.setattr(stage, "clean_article", endless)
    function = chain.pipeline.functions["CleanFunction"]
    function.module()
    function.environment["ARTICLE_TIME_SHARE"] = "0.05"  # 2.5 s of its 60 s
    keys = drop_batch(chain, "clean")
    assert_only_the_hostile_one_failed(chain, keys, "clean")
    LEDGER.fault_kinds.add("Clean hanging on one object of a batch")
