"""Clean on generated hostile input: a CleanedArticle or a BadInputError, never anything
else, in time and output linear in the input."""

from __future__ import annotations

import pytest
from fuzzing import check_clean, examples, saving, shapes
from hypothesis import given, settings

pytestmark = pytest.mark.slow  # CPU-heavy: make test-fast leaves it out


@settings(max_examples=examples(40))
@given(shapes())
def test_clean_is_linear_and_fails_only_as_bad_input(shape):
    saving(shape, lambda: check_clean(shape))
