"""The model's numeric spans as evidence for the rules' figures (extraction.figures.evidence)."""

import pytest


@pytest.fixture(scope="module")
def figures_of(nlp):
    def figures_of(text):
        doc = nlp(text)
        return {doc[f.start : f.end].text: f for f in doc._.figures}

    return figures_of


def test_no_figures_inside_names(figures_of):
    found = figures_of("The company filed for Chapter 11 protection, First Boston Corp. said on Monday.")
    assert "11" not in found and "First" not in found
    assert any(f.kind in ("weekday", "date") for f in found.values())


def test_model_kind_with_rule_values(figures_of):
    found = figures_of("Trading ended at 6 p.m. after the index fell 250 points, or 3.5%, to $1.2 billion.")
    assert (found["6 p.m."].kind, found["6 p.m."].value) == ("time", 1800.0)
    points = next(f for text, f in found.items() if text.startswith("250"))
    assert (points.kind, points.value, points.unit) == ("cardinal", 250.0, "point")
    assert found["$1.2 billion"].value == 1.2e9 and found["$1.2 billion"].unit == "USD"


def test_spans_only_the_model_found_become_figures(figures_of):
    found = figures_of("Sales have fallen sharply in recent years, the company said.")
    recent = next(f for text, f in found.items() if "years" in text)
    assert recent.kind == "date" and recent.value is None


def test_reconcile_on_given_spans():
    import spacy
    from spacy.tokens import Span

    from article_pipeline.extraction.figures.evidence import reconcile
    from article_pipeline.extraction.figures.rules import find_figures

    doc = spacy.blank("en")("He was one of 60 Minutes staff, paid 90 billion patacas over 3 years.")
    doc.ents = [
        Span(doc, 4, 6, label="WORK_OF_ART"),  # 60 Minutes
        Span(doc, 9, 12, label="MONEY"),  # 90 billion patacas
        Span(doc, 13, 15, label="DATE"),  # 3 years
    ]
    found = {doc[f.start : f.end].text: f for f in reconcile(doc, find_figures(doc), doc.ents)}
    assert "one" not in found  # a bare count the model did not see
    assert "60" not in found  # inside a name
    assert (found["90 billion patacas"].kind, found["90 billion patacas"].unit) == ("money", "MOP")
    assert found["3 years"].kind == "duration"  # the rules' kind, which agrees with DATE


def test_measures_stay_quantities_counts_become_cardinals():
    import spacy
    from spacy.tokens import Span

    from article_pipeline.extraction.figures.evidence import reconcile
    from article_pipeline.extraction.figures.rules import find_figures

    doc = spacy.blank("en")("Queues of two kilometres, a fall of 250 points.")
    doc.ents = [Span(doc, 2, 4, label="CARDINAL"), Span(doc, 8, 10, label="CARDINAL")]
    found = {doc[f.start : f.end].text: f for f in reconcile(doc, find_figures(doc), doc.ents)}
    assert (found["two kilometres"].kind, found["two kilometres"].unit) == ("quantity", "km")
    assert (found["250 points"].kind, found["250 points"].unit) == ("cardinal", "point")


def test_model_spans_lose_whitespace_at_their_ends_and_overlong_ones_are_no_figure():
    import spacy
    from spacy.tokens import Span

    from article_pipeline.extraction.figures.evidence import MAX_SPAN_TOKENS, reconcile

    doc = spacy.blank("en")("It cost $$$          and " + "one " * (MAX_SPAN_TOKENS + 1) + "end.")
    space = next(t.i for t in doc if t.is_space)
    doc.ents = [Span(doc, 2, space + 1, label="MONEY"), Span(doc, space + 2, space + 3 + MAX_SPAN_TOKENS, label="CARDINAL")]
    found = [doc[f.start : f.end].text for f in reconcile(doc, [], doc.ents)]
    assert found == ["$$$"]  # the padding is not part of the figure; 17 tokens are not one figure
