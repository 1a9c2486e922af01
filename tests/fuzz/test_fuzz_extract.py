"""Extract on generated hostile input (after Clean): an Extraction for every article Clean
accepts, never an error from our own components, in time and output linear in the input."""

from __future__ import annotations

import pytest
from fuzzing import PROFILE, check_extract, examples, saving, shapes
from hypothesis import given, settings

from article_pipeline.extraction import extract_articles
from article_pipeline.models import CleanedArticle

pytestmark = pytest.mark.slow  # CPU-heavy: make test-fast leaves it out


@pytest.fixture(scope="module")
def warm(nlp):
    extract_articles(nlp, [CleanedArticle(title="Warm Up", text="The minister met officials in Leeds on Monday.")])
    return nlp


# make test: a short pass of 5 shapes (1.4 s of CPU each); make check: the whole pass below.
@pytest.mark.skipif(PROFILE != "ci", reason="make fuzz runs the whole pass below, with its own number of examples")
@settings(max_examples=5)
@given(shape=shapes())
def test_extract_is_linear_and_never_fails_inside_a_short_pass(warm, shape):
    saving(shape, lambda: check_extract(warm, shape))


@pytest.mark.check
@settings(max_examples=examples(15))
@given(shape=shapes())
def test_extract_is_linear_and_never_fails_inside(warm, shape):
    saving(shape, lambda: check_extract(warm, shape))
