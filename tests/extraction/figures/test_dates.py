from datetime import date

import spacy

from article_pipeline.extraction.figures import dates

TOK = spacy.blank("en")


def _match(text):
    doc = TOK(text)
    for i in range(len(doc)):
        found = dates.match_date(doc, i)
        if found:
            return doc[i : found[0]].text, found[1]
    return None


def test_recognised_dates():
    assert _match("on 10 December 2016 they")[1] == dates.DateParts(2016, 12, 10)
    assert _match("on December 10, 2016 they")[1] == dates.DateParts(2016, 12, 10)
    assert _match("LONDON 1996-08-30")[1] == dates.DateParts(1996, 8, 30)
    assert _match("met on Saturday")[1] == dates.DateParts(weekday=6)
    assert _match("in May the")[0] == "May"
    assert _match("you May go") is None  # a modal, not a month


def test_resolution_against_published():
    published = date(2016, 12, 10)  # a Saturday
    assert dates.resolve(dates.DateParts(weekday=6), published) == ("date", 20161210.0, "YYYYMMDD")
    assert dates.resolve(dates.DateParts(weekday=5), published) == ("date", 20161209.0, "YYYYMMDD")
    assert dates.resolve(dates.DateParts(offset=-1, offset_unit="day"), published)[1] == 20161209.0
    assert dates.resolve(dates.DateParts(month=11), published) == ("date", 201611.0, "YYYYMM")
    assert dates.resolve(dates.DateParts(offset=-1, offset_unit="year"), published) == ("year", 2015.0, "YYYY")


def test_unresolvable_dates_keep_a_value():
    assert dates.resolve(dates.DateParts(weekday=6), None) == ("weekday", 6.0, "isoweekday")
    assert dates.resolve(dates.DateParts(offset=1, offset_unit="week"), None) == ("relative_date", 1.0, "week")
    assert dates.parse_published("2016-12-10T08:00:00Z") == date(2016, 12, 10)
    assert dates.parse_published("not a date") is None
