"""extract_articles under a deadline: a slow article fails alone, as too_slow; the others are read."""

import time

import pytest
from spacy.language import Language

from article_pipeline.extraction import ArticleExtractionError, extract_articles
from article_pipeline.models import CleanedArticle, Extraction
from article_pipeline import watchdog
from article_pipeline.watchdog import Deadline, OutOfTime


@Language.component("injected_hang")
def hang(doc):
    if "HANG" in doc.text:
        time.sleep(60)  # interrupted by the article's timer
    return doc


@pytest.fixture
def hanging_nlp(nlp):
    nlp.add_pipe("injected_hang", first=True)
    yield nlp
    nlp.remove_pipe("injected_hang")


def articles(hostile_at: int, count: int = 5) -> list[CleanedArticle]:
    return [
        CleanedArticle(title="Ferry News", text=("HANG " if n == hostile_at else "") + f"The ferry to Bergen carried {n} cars.")
        for n in range(count)
    ]


def test_a_hanging_article_fails_alone_as_too_slow(hanging_nlp):
    started = time.monotonic()
    deadline = Deadline(at=time.monotonic() + 6, total=6, share=0.5)  # 3 s an article
    results = extract_articles(hanging_nlp, articles(hostile_at=2), deadline=deadline)
    assert time.monotonic() - started < 15
    assert [type(r).__name__ for r in results] == ["Extraction", "Extraction", "ArticleExtractionError", "Extraction", "Extraction"]
    assert results[2].kind == "too_slow" and "budget" in results[2].message
    assert all(r.entities for r in results if isinstance(r, Extraction))


def test_articles_left_without_time_are_retried_not_failed(hanging_nlp):
    deadline = Deadline(at=time.monotonic() + 0.5, total=20, share=0.5)
    results = extract_articles(hanging_nlp, articles(hostile_at=0, count=2), deadline=deadline)
    assert isinstance(results[0], OutOfTime) and not isinstance(results[0], ArticleExtractionError)


def test_without_a_deadline_nothing_changes(nlp):
    (result,) = extract_articles(nlp, [CleanedArticle(text="The ferry to Bergen carried 12 cars.")], deadline=None)
    assert isinstance(result, Extraction) and result.figures


MEMORY = {"hog": False}


@Language.component("injected_memory_hog")
def memory_hog(doc):
    MEMORY["hog"] |= "HOG" in doc.text
    return doc


class HogWatch(watchdog.MemoryBudget):
    """Memory 'runs out' once a doc holding HOG has been read since the budget started."""

    @classmethod
    def start(cls):
        MEMORY["hog"] = False
        return cls(limit_mb=870, start_mb=100)

    def check(self):
        if MEMORY["hog"]:
            raise watchdog.TooLargeError(2000, 1024)


def test_an_article_that_takes_the_memory_fails_alone_as_too_large(nlp, monkeypatch):
    from article_pipeline.extraction import extract as module

    monkeypatch.setattr(module, "MemoryBudget", HogWatch)
    nlp.add_pipe("injected_memory_hog", first=True)
    try:
        batch = articles(hostile_at=-1, count=3)
        batch[1] = CleanedArticle(title="Ferry News", text="HOG The ferry to Bergen carried 1 car.")
        results = extract_articles(nlp, batch)
    finally:
        nlp.remove_pipe("injected_memory_hog")
    assert [type(r).__name__ for r in results] == ["Extraction", "ArticleExtractionError", "Extraction"]
    assert results[1].kind == "too_large"


def test_memory_budget_counts_only_growth(monkeypatch):
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1000")
    monkeypatch.setattr(watchdog, "resident_mb", lambda: 900.0)
    budget = watchdog.MemoryBudget.start()
    budget.check()  # already high when the article started: not its fault
    monkeypatch.setattr(watchdog, "resident_mb", lambda: 950.0)
    with pytest.raises(watchdog.TooLargeError):
        budget.check()
