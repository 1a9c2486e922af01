import spacy

from article_pipeline.extraction.figures.times import clock_time, match_time

TOK = spacy.blank("en")


def _at(text, i=0):
    return match_time(TOK(text), i)


def test_clock_times_as_hhmm():
    assert _at("6 p.m.") == (2, 1800.0)
    assert _at("6:30 p.m.") == (2, 1830.0)
    assert _at("12 a.m.") == (2, 0.0)
    assert _at("7pm") == (2, 1900.0)  # "7" "pm"
    assert _at("10:00") == (1, 1000.0)
    assert _at("noon") == (1, 1200.0)


def test_what_is_no_clock_time():
    assert _at("6 people") is None
    assert _at("13 p.m.") is None
    assert _at("25:10") is None
    assert _at("3:5") is None


def test_clock_time_inside_a_span():
    doc = TOK("between 6:30 p.m. and 7 p.m.")
    assert clock_time(doc, 0, len(doc)) == 1830.0
    assert clock_time(doc, 0, 1) is None
