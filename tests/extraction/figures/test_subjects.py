"""What a figure counts: the tag rules of article_pipeline.extraction.figures.subjects, through
extract_articles (which tags only a window around each figure)."""

import pytest

from article_pipeline.extraction import extract_articles
from article_pipeline.extraction.figures import subjects
from article_pipeline.models import CleanedArticle

#: (sentence, figure as written, what it counts or None)
CASES = [
    ("Rescuers said nine Syrian citizens were killed in the attack.", "nine", "Syrian citizens"),
    ("Officials said 93 percent of the country's most populous city was without power.", "93 percent", "most populous city"),
    ("Fourth quarter sales rose 2% to $11.1bn from $10.9bn.", "2%", "Fourth quarter sales"),
    ("Fourth quarter sales rose 2% to $11.1bn from $10.9bn.", "$11.1bn", "Fourth quarter sales"),
    ("Quarterly profits at US media giant Halvorsen Media jumped 76% in December.", "76%", "Quarterly profits"),
    ("Shares of the state-owned lender fell 3% on Monday.", "3%", "Shares"),
    ("The team will face Norway in a five-way match next week.", "five", "match"),
    ("The streaming service now holds a 70% share of the market.", "70%", "share"),
    ("She has won the national 60m hurdles title twice.", "60m", "hurdles title"),
    ("The council will publish a full report within 30 days.", "30 days", None),
    ("The bridge collapsed shortly after 6 a.m. on Tuesday.", "6 a.m.", None),
]


@pytest.fixture(scope="module")
def figures(nlp):
    sentences = list(dict.fromkeys(s for s, _, _ in CASES))
    results = extract_articles(nlp, [CleanedArticle(text=s) for s in sentences])
    return {s: {f.text: f for f in r.figures} for s, r in zip(sentences, results)}


@pytest.mark.parametrize("sentence,figure,expected", CASES, ids=[f"{f}->{e}" for _, f, e in CASES])
def test_subject(figures, sentence, figure, expected):
    found = figures[sentence][figure]
    assert found.subject == expected


def test_a_cardinal_takes_its_subject_as_unit(figures):
    nine = figures[CASES[0][0]]["nine"]
    assert (nine.kind, nine.unit) == ("cardinal", "citizens")


def test_the_window_reaches_the_verb(nlp):
    # the verb and its subject lie within CONTEXT_LEFT tokens of the figure
    assert subjects.CONTEXT_LEFT >= subjects.VERB_REACH + 4
    text = "Annual revenues at the Nordic shipping group rose by nearly 12% last year."
    (result,) = extract_articles(nlp, [CleanedArticle(text=text)])
    assert {f.text: f.subject for f in result.figures}["12%"] == "Annual revenues"
