"""article-pipeline hostile: a known bad input through the chain in its own process."""

import pytest

from article_pipeline_local.measurement.hostile import KNOWN_BAD, Shape, run_one

pytestmark = pytest.mark.slow  # a fresh process runs the chain


def test_a_hostile_input_reports_its_time_outcome_and_peak_memory(tmp_path):
    shape = next(shape for name, shape, _ in KNOWN_BAD if shape.nested)  # nested JSON: fails in Clean
    path = tmp_path / "nested.json"
    path.write_bytes(shape.build(20_000))
    seconds, outcome, peak = run_one(path, timeout=120)
    assert outcome == "failed (clean: too_deep)"
    assert 0 < seconds < 120 and peak > 50


def test_shapes_round_trip_through_their_saved_form():
    shape = Shape("md", "**a ", nested=("> ", ""))
    assert Shape.from_json(shape.to_json()) == shape
    assert shape.build(100).startswith(b"# Hostile Headline")
