"""Hypothesis settings, the hostile shapes the fuzz tests draw, and their checks.

``make test`` runs a short, derandomized pass (profile ``ci``: the same examples every
run). ``make fuzz`` runs profile ``fuzz`` for N minutes with random examples and saves
each shape that fails into ``tests/fuzz/regressions/``, which the tests replay.
"""

from __future__ import annotations

import os
import time

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from article_pipeline_local.measurement.hostile import ATOMS, FORMATS, NESTS, Shape, save_shape

_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True, suppress_health_check=_SLOW_OK)
settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES") or 300),
    deadline=None,
    print_blob=True,
    suppress_health_check=_SLOW_OK,
)
PROFILE = os.environ.get("FUZZ_PROFILE", "ci")
settings.load_profile(PROFILE)


def examples(ci: int) -> int:
    """``ci`` examples in the quick pass; the fuzz profile's number under ``make fuzz``."""
    return ci if PROFILE == "ci" else settings.default.max_examples


@st.composite
def shapes(draw) -> Shape:
    fmt = draw(st.sampled_from(FORMATS))
    if draw(st.integers(0, 5)) == 0:
        return Shape(fmt, draw(st.sampled_from(ATOMS)), nested=draw(st.sampled_from(NESTS[fmt])))
    return Shape(fmt, "".join(draw(st.lists(st.sampled_from(ATOMS), min_size=1, max_size=4))))


def cpu_seconds(action) -> tuple[float, object]:
    started = time.process_time()
    result = action()
    return time.process_time() - started, result


def check_linear(what: str, measure, small: int, factor: int = 4, slack: float = 0.05) -> None:
    """``measure(size)`` -> (seconds, output bytes) at ``small`` and ``factor`` x ``small``:
    both may grow by at most twice the factor (linear gives the factor; quadratic its square).
    A time over the bound is measured once more before it counts: the machine is shared."""
    bound = 2 * factor
    (t1, b1), (t4, b4) = measure(small), measure(small * factor)
    if t4 > bound * t1 + slack:
        (t1, b1), (t4, b4) = measure(small), measure(small * factor)
    assert t4 <= bound * t1 + slack, f"{what}: {t1:.3f}s at {small} chars, {t4:.3f}s at {small * factor}"
    assert b4 <= bound * b1 + 20_000, f"{what}: output {b1} bytes at {small} chars, {b4} at {small * factor}"


def saving(shape: Shape, check) -> None:
    """Run ``check``; in the fuzz profile a failing shape is saved as a regression first."""
    try:
        check()
    except BaseException as error:
        if PROFILE == "fuzz" and not isinstance(error, KeyboardInterrupt):
            save_shape(shape, f"{type(error).__name__}: {error}"[:2000])
        raise


#: Sizes timed at n and 4n: large enough that the work, not the overhead, is measured.
CLEAN_SMALL = 16_000
EXTRACT_SMALL = 16_000


def _cleaned(shape: Shape, size: int):
    from article_pipeline.cleaning import clean_article
    from article_pipeline.errors import BadInputError

    try:
        return clean_article(shape.build(size), key=shape.key)
    except BadInputError as error:
        return error


def clean_cost(shape: Shape, size: int) -> tuple[float, int]:
    """CPU seconds and output bytes; anything but a CleanedArticle or a BadInputError raises."""
    from article_pipeline.errors import BadInputError

    seconds, result = cpu_seconds(lambda: _cleaned(shape, size))
    return seconds, 0 if isinstance(result, BadInputError) else len(result.model_dump_json())


def extract_cost(nlp, shape: Shape, size: int) -> tuple[float, int]:
    """CPU seconds and output bytes of Extract on what Clean made of the shape."""
    from article_pipeline.errors import BadInputError
    from article_pipeline.extraction import extract_articles
    from article_pipeline.models import Extraction

    article = _cleaned(shape, size)
    if isinstance(article, BadInputError):
        return 0.0, 0
    seconds, (result,) = cpu_seconds(lambda: extract_articles(nlp, [article]))
    assert isinstance(result, Extraction), f"{shape}: {result!r}"
    return seconds, len(result.model_dump_json())


def check_clean(shape: Shape) -> None:
    check_linear(f"clean {shape}", lambda size: clean_cost(shape, size), CLEAN_SMALL)


def check_extract(nlp, shape: Shape) -> None:
    check_linear(f"extract {shape}", lambda size: extract_cost(nlp, shape, size), EXTRACT_SMALL, slack=0.05)
