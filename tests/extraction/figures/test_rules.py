import spacy

from article_pipeline.extraction.figures.rules import find_figures

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
    assert _figs("between 5 and 10 people")[0][:3] == ("5 and 10", "cardinal", 5.0)
    assert _figs("the third quarter")[0][1:3] == ("ordinal", 3.0)
    assert _figs("results for 2003 were")[0][1:4] == ("year", 2003.0, "YYYY")
    assert _figs("in the 1990s")[0][1:3] == ("decade", 1990.0)
    assert _figs("one of the areas") == []
    assert _figs("one soldier") == [("one", "cardinal", 1.0, None, None)]


def _full(text):
    doc = TOK(text)
    return [(doc[f.start : f.end].text, f.kind, f.value, f.value_max, f.unit) for f in find_figures(doc, CODES | {"CNY"})]


def test_ranges_keep_the_kind_of_their_ends_and_both_values():
    assert _full("from $20,000 to $3 million") == [("$20,000 to $3 million", "money", 2e4, 3e6, "USD")]
    assert _full("rose 50% to 70%") == [("50% to 70%", "percent", 50.0, 70.0, "percent")]
    assert _full("for 30 to 44 days") == [("30 to 44 days", "duration", 30.0, 44.0, "day")]
    assert _full("yields of 9 3/4% to 10%") == [("9 3/4% to 10%", "percent", 9.75, 10.0, "percent")]


def test_currencies_written_after_or_glued_to_the_number():
    assert _full("29.18 billion US dollars")[0][1:] == ("money", 29.18e9, None, "USD")
    assert _full("830 million Canadian-dollar issue")[0][1:] == ("money", 8.3e8, None, "CAD")
    assert _full("90 billion patacas")[0][1:] == ("money", 9e10, None, "MOP")
    assert _full("RMB 50 billion")[0][1:] == ("money", 5e10, None, "CNY")
    assert _full("HK$200,000 and NT$100") == [
        ("HK$200,000", "money", 2e5, None, "HKD"), ("NT$100", "money", 100.0, None, "TWD"),
    ]


def test_compound_amounts_mixed_fractions_and_times():
    assert _full("three and a half billion dollars")[0][1:] == ("money", 3.5e9, None, "USD")
    assert _full("one and a half billion dollars")[0][1:] == ("money", 1.5e9, None, "USD")
    assert _full("a coupon of 8 1/2%")[0][1:] == ("percent", 8.5, None, "percent")
    assert _full("at 6 p.m.") == [("6 p.m.", "time", 1800.0, None, "HHMM")]
    assert _full("between 6:30 p.m. and 7 p.m.") == [("6:30 p.m. and 7 p.m.", "time", 1830.0, 1900.0, "HHMM")]
    assert _full("9/11") == []  # no fraction


def test_a_long_chain_of_ranges_costs_no_recursion():
    figures = _full("-".join(str(n) for n in range(1, 5001)))
    assert figures[0][1:4] == ("cardinal", 1.0, 2.0) and len(figures) < 5000
