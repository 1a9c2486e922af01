import pytest

from article_pipeline.extraction import ArticleExtractionError, extract_articles, split_paragraphs
from article_pipeline.models import CleanedArticle, Extraction

TITLE = "FLOODS HIT NORTHERN TOWNS AS MINISTER VISITS LEEDS"
BODY = (
    "Heavy rain flooded parts of Leeds on Saturday, and nine families were moved to a school. "
    "Environment minister Jane Holloway visited the city of Leeds with officials from the "
    "Environment Agency.\n\n"
    "Holloway said the government would spend £40m on defences over the next five years. "
    "The Environment Agency said as many as 2,000 homes could be at risk, up 15% on last year."
)


@pytest.fixture(scope="module")
def result(nlp):
    article = CleanedArticle(title=TITLE, text=BODY, published="2023-03-13")
    (res,) = extract_articles(nlp, [article])
    assert isinstance(res, Extraction)
    return res


def test_entities_consolidated_with_offsets(result):
    by = {e.name: e for e in result.entities}
    person = by["Jane Holloway"]
    assert person.label == "PERSON" and person.aliases == ["Holloway"] and person.count == 2
    for m in person.mentions:
        assert BODY[m.start : m.end] in ("Jane Holloway", "Holloway")
    leeds = by["Leeds"]
    assert leeds.label == "GPE" and leeds.count == 3  # the headline's mention counts
    assert len(leeds.mentions) == 2  # offsets refer to the body only
    assert result.entities[0].name == "Leeds"  # headline + lead + frequency
    assert by["Environment Agency"].label == "ORG"


def test_every_entity_has_an_identity(result):
    by = {e.name: e for e in result.entities}
    assert by["Jane Holloway"].id == "person:jane-holloway"
    assert by["Leeds"].id == "geonames:2644688"  # the city's public id, the same in every article
    assert by["Environment Agency"].id == "org:environment-agency"


def _entities(nlp, title: str, text: str) -> dict:
    (res,) = extract_articles(nlp, [CleanedArticle(title=title, text=text)])
    return {e.name: e for e in res.entities}


def test_a_title_is_no_part_of_the_name_so_one_person_stays_one(nlp):
    by = _entities(
        nlp, "Talks resume",
        "Prime Minister Harold Quist met the unions on Monday. Mr Quist said the talks would go on. "
        "Later, Quist left for the airport.",
    )
    people = [e for e in by.values() if e.label == "PERSON"]
    assert [p.name for p in people] == ["Harold Quist"] and people[0].id == "person:harold-quist"
    assert not any("Mr" in alias or "Minister" in alias for alias in people[0].aliases)


def test_every_name_of_a_country_gives_its_iso_code(nlp):
    by = _entities(nlp, "Trade talks", "The U.S. and Britain agreed a deal. United States officials praised the UK team.")
    assert {e.id for e in by.values() if e.label == "GPE"} == {"iso:US", "iso:GB"}


def test_an_amount_in_a_countrys_currency_names_the_country(nlp):
    by = _entities(nlp, "Markets", "The rupee climbed to 43.3 per US dollar on Thursday.")
    assert by["US"].id == "iso:US" and by["US"].label == "GPE"


def test_both_sides_of_a_results_line_are_names(nlp):
    by = _entities(nlp, "Results", "Results on Saturday:\nRuritania Rovers 2 Strelsau Athletic 1\nZenda Town 0 Tarlenheim 3")
    assert {"Ruritania Rovers", "Strelsau Athletic", "Zenda Town", "Tarlenheim"} <= set(by)


def test_figures(result):
    by = {f.text: f for f in result.figures}
    assert by["nine"].value == 9 and by["nine"].subject == "families" and by["nine"].unit == "families"
    assert by["£40m"].value == 4e7 and by["£40m"].unit == "GBP" and by["£40m"].kind == "money"
    assert by["five years"].kind == "duration" and by["five years"].unit == "year"
    assert by["2,000"].qualifier == "as many as" and by["2,000"].value == 2000
    assert by["15%"].kind == "percent" and by["15%"].value == 15
    assert by["Saturday"].kind == "date" and by["Saturday"].value == 20230311 and by["Saturday"].unit == "YYYYMMDD"
    for f in result.figures:
        assert BODY[f.start : f.end] == f.text
        assert f.text in f.sentence


def test_other_languages_are_skipped_with_a_warning(nlp):
    (res,) = extract_articles(nlp, [CleanedArticle(text="Le président a parlé à Paris.", language="fr")])
    assert res.entities == [] and res.figures == []
    assert "not supported" in res.warnings[0]


def test_long_texts_are_split_on_paragraphs(nlp):
    paragraph = "Officials in Leeds counted 12 boats. "
    body = "\n\n".join([paragraph * 3] * 6)
    saved = nlp.max_length
    nlp.max_length = 250
    try:
        (res,) = extract_articles(nlp, [CleanedArticle(text=body)])
    finally:
        nlp.max_length = saved
    assert any("pieces" in w for w in res.warnings)
    leeds = next(e for e in res.entities if e.name == "Leeds")
    assert leeds.count == 18
    assert all(body[m.start : m.end] == "Leeds" for m in leeds.mentions)
    assert [body[f.start : f.end] for f in res.figures] == ["12"] * 18


def test_split_paragraphs():
    assert split_paragraphs("a\n\nb\n\nc", 3) == [(0, "a\n\n"), (3, "b\n\n"), (6, "c")]


def test_one_bad_article_does_not_sink_the_batch(nlp, monkeypatch):
    from article_pipeline.extraction import extract as module

    real = module._entities

    def flaky(work, gaz):
        if "POISON" in work.article.text:
            raise ValueError("boom")
        return real(work, gaz)

    monkeypatch.setattr(module, "_entities", flaky)
    good = CleanedArticle(text="Officials in Leeds met on Monday.")
    bad = CleanedArticle(text="POISON in Leeds.")
    results = extract_articles(nlp, [good, bad, good])
    assert isinstance(results[0], Extraction) and isinstance(results[2], Extraction)
    assert isinstance(results[1], ArticleExtractionError)
    assert results[1].index == 1 and results[1].kind == "extraction_failed"


def test_a_failing_doc_in_the_pipe_is_isolated(nlp, monkeypatch):
    finder = nlp.get_pipe("article_figures")
    real = type(finder).__call__

    def explode(self, doc):
        if "poison-pill" in doc.text:
            raise RuntimeError("component failed")
        return real(self, doc)

    monkeypatch.setattr(type(finder), "__call__", explode)
    arts = [CleanedArticle(text="Leeds had 3 boats."), CleanedArticle(text="a poison-pill"), CleanedArticle(text="York had 4.")]
    results = extract_articles(nlp, arts, batch_size=2)
    assert [type(r).__name__ for r in results] == ["Extraction", "ArticleExtractionError", "Extraction"]


def test_vocabulary_keeps_new_words_up_to_a_limit_then_frees_them_per_batch(nlp):
    def words() -> set[str]:
        return {lexeme.orth_ for lexeme in nlp.vocab}

    before = words()
    (zoned,) = extract_articles(nlp, [CleanedArticle(text="Xyqor Blentham visited Leeds.")], kept_words=0)
    assert "Xyqor" not in words()  # the batch ran in a memory zone
    assert "Xyqor Blentham" in {e.name for e in zoned.entities}  # results outlive the zone
    extract_articles(nlp, [CleanedArticle(text="Zorblax Quintavel met Vrenthor Plaskid.")], kept_words=10**9)
    assert {"Zorblax", "Plaskid"} <= words() - before  # kept: the next batch finds them made
