"""The inputs that once hung a stage or blew its memory, and every shape ``make fuzz``
saved, stay linear through Clean and Extract."""

from __future__ import annotations

import pytest
from fuzzing import check_clean, check_extract

from article_pipeline_local.measurement.hostile import KNOWN_BAD, saved_shapes

pytestmark = pytest.mark.slow  # CPU-heavy: make test-fast leaves it out

CASES = [pytest.param(shape, id=name) for name, shape, _ in KNOWN_BAD] + [
    pytest.param(shape, id=name) for name, shape in saved_shapes()
]


@pytest.mark.parametrize("shape", CASES)
def test_clean_stays_linear(shape):
    check_clean(shape)


@pytest.mark.parametrize("shape", CASES)
def test_extract_stays_linear(nlp, shape):
    check_extract(nlp, shape)
