from article_pipeline.extraction.entities.consolidation import EntityMention, consolidate, normalize_name
from article_pipeline.extraction.entities.gazetteer import load_gazetteer


def M(text, label, start=0, title=False):
    return EntityMention(text, label, None if title else start, None if title else start + len(text), in_title=title)


def test_normalize_name():
    assert normalize_name("the General Assembly") == "General Assembly"
    assert normalize_name("Russia's") == "Russia"
    assert normalize_name("“U.S.”") == "U.S."


def _by_name(groups):
    return {g.name: g for g in groups}


def test_short_forms_merge_into_full_names():
    groups = _by_name(
        consolidate(
            [
                M("Bashar al-Assad", "PERSON", 0),
                M("Assad", "PERSON", 50),
                M("United Nations General Assembly", "ORG", 100),
                M("the General Assembly", "ORG", 200),
                M("United States", "GPE", 300),
                M("U.S.", "GPE", 400),
                M("Syrian", "NORP", 500),
                M("Syrian Civil War", "EVENT", 600),
            ],
            load_gazetteer(),
        )
    )
    assert groups["Bashar al-Assad"].aliases == ["Assad"]
    assert groups["Bashar al-Assad"].count == 2
    assert groups["United Nations General Assembly"].aliases == ["General Assembly"]
    assert groups["United States"].aliases == ["U.S."]
    assert "Syrian" in groups  # a demonym is not short for a longer name
    assert groups["Bashar al-Assad"].mentions == [(0, 15), (50, 55)]


def test_label_is_voted_and_gazetteer_weighs_in():
    groups = _by_name(
        consolidate(
            [M("Palmyra", "PERSON", 0), M("Palmyra", "GPE", 10), M("Palmyra", "GPE", 20), M("Palmyra", "PERSON", 30)],
            load_gazetteer(),
        )
    )
    assert groups["Palmyra"].label == "GPE"
    groups = _by_name(consolidate([M("Acme", "ORG", 0), M("Acme", "ORG", 9), M("Acme", "PERSON", 20)]))
    assert groups["Acme"].label == "ORG"


def test_casing_variants_are_one_entity_and_title_counts_for_salience():
    groups = consolidate([M("LONDON", "GPE", title=True), M("London", "GPE", 5), M("Paris", "GPE", 9), M("Paris", "GPE", 30)])
    by = _by_name(groups)
    assert by["London"].count == 2 and by["London"].mentions == [(5, 11)]
    assert groups[0].name == "London"  # the headline outweighs one more mention


def test_two_places_the_data_knows_stay_two():
    gaz = load_gazetteer()
    groups = _by_name(consolidate([M("East Jerusalem", "GPE", 0), M("Jerusalem", "GPE", 40)], gaz))
    assert set(groups) == {"East Jerusalem", "Jerusalem"}


def test_accents_do_not_separate_a_name():
    groups = _by_name(consolidate([M("Ana Domínguez", "PERSON", 0), M("Ana Dominguez", "PERSON", 40)]))
    assert len(groups) == 1
