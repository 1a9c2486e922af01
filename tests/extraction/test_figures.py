import spacy

from article_pipeline.extraction.figures import find_figures

TOK = spacy.blank("en")
CODES = frozenset({"USD", "GBP", "EUR"})


def _figs(text):
    doc = TOK(text)
    return [(doc[f.start : f.end].text, f.kind, f.value, f.unit, f.qualifier) for f in find_figures(doc, CODES)]


def test_money_with_currency_and_magnitude():
    assert _figs("profits jumped 76% to $1.13bn (£600m) in") == [
        ("76%", "percent", 76.0, "percent", None),
        ("$1.13bn", "money", 1.13e9, "USD", None),
        ("£600m", "money", 6e8, "GBP", None),
    ]
    assert _figs("a fine of 5 million euros")[0][1:4] == ("money", 5e6, "EUR")
    assert _figs("costs EUR 20 each")[0][1:4] == ("money", 20.0, "EUR")


def test_words_qualifiers_durations_and_quantities():
    assert _figs("nine citizens were killed")[0][:3] == ("nine", "cardinal", 9.0)
    assert _figs("could be as high as 80,000.")[0] == ("80,000", "cardinal", 80000.0, None, "as high as")
    assert _figs("the six-year war")[0] == ("six-year", "duration", 6.0, "year", None)
    assert _figs("two dozen people")[0][2] == 24.0
    assert _figs("a 93 percent share")[0][1:4] == ("percent", 93.0, "percent")
    assert _figs("about 12.5 per cent")[0] == ("12.5 per cent", "percent", 12.5, "percent", "about")
    assert _figs("a 5km walk")[0][1:4] == ("quantity", 5.0, "km")


def test_ranges_ordinals_years():
    assert _figs("between 5 and 10 people")[0][:3] == ("5 and 10", "range", 5.0)
    assert _figs("the third quarter")[0][1:3] == ("ordinal", 3.0)
    assert _figs("results for 2003 were")[0][1:4] == ("year", 2003.0, "YYYY")
    assert _figs("in the 1990s")[0][1:3] == ("decade", 1990.0)
    assert _figs("one of the areas") == []
    assert _figs("one soldier") == [("one", "cardinal", 1.0, None, None)]
