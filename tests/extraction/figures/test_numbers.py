import pytest

from article_pipeline.extraction.figures import numbers


@pytest.mark.parametrize(
    "text, value",
    [
        ("nine", 9),
        ("twenty-one", 21),
        ("two dozen", 24),
        ("one hundred and five", 105),
        ("3.5 million", 3_500_000),
        ("a million", 1_000_000),
        ("half a million", 500_000),
        ("80,000", 80_000),
        ("1.13bn", 1.13e9),
        ("600m", 6e8),
    ],
)
def test_parse_number(text, value):
    assert numbers.parse_number(text) == pytest.approx(value)


def test_not_a_number():
    assert numbers.parse_number("ninety percent of") is None
    assert numbers.parse_number("citizens") is None


def test_suffix_and_ordinals():
    assert numbers.split_suffix("76%") == (76.0, "%")
    assert numbers.split_suffix("5km") == (5.0, "km")
    assert numbers.parse_ordinal("3rd") == 3
    assert numbers.parse_ordinal("twenty-first") == 21
    assert numbers.parse_decade("mid-1990s") == 1990


def test_currencies_and_units():
    assert numbers.currency_for_symbol("£") == "GBP"
    assert numbers.currency_for_symbol("US$") == "USD"
    assert numbers.currency_for_word("euros") == "EUR"
    assert numbers.currency_for_word("CHF", frozenset({"CHF"})) == "CHF"
    assert numbers.duration_unit("years") == "year"
    assert numbers.measure_unit("kilometres") == "km"


def test_fractions_glued_currencies_and_currency_words():
    from article_pipeline.extraction.figures import numbers

    assert numbers.parse_fraction("1/2") == 0.5 and numbers.parse_fraction("9/11") is None
    assert numbers.split_currency_prefix("HK$200,000") == ("HKD", "200,000")
    assert numbers.split_currency_prefix("NT$100") == ("TWD", "100")
    assert numbers.split_currency_prefix("200,000") is None
    assert numbers.currency_of_words(["830", "million", "Canadian", "-", "dollar"]) == "CAD"
    assert numbers.currency_of_words(["29.18", "billion", "US", "dollars"]) == "USD"
    assert numbers.currency_of_words(["90", "billion", "patacas"]) == "MOP"
    assert numbers.currency_of_words(["50", "marks"]) is None
    assert numbers.currency_of_words(["50", "marks"], money=True) == "DEM"
    assert numbers.parse_number_words("three ½ billion") == 3.5e9
