"""The ``article_entity_labels`` component: corrections on a Doc's entity spans."""

import pytest


def _ents(nlp, text):
    return [(e.text, e.label_) for e in nlp(text).ents]


def test_gazetteer_overrules_person_for_a_city(nlp):
    ents = _ents(nlp, "Fighting went on in Aleppo. Palmyra fell. The city of Palmyra was retaken.")
    assert ("Aleppo", "GPE") in ents
    assert ("Palmyra", "GPE") in ents  # "the city of" marks the place


def test_a_country_fielding_a_team_stays_a_country(nlp):
    ents = dict(_ents(nlp, "Japan beat China 2-1 in the Asian Cup on Friday."))
    assert ents.get("Japan") == "GPE" and ents.get("China") == "GPE"


def test_given_names_find_and_fix_people(nlp):
    pytest.importorskip("names", reason="given-name evidence is optional")
    ents = dict(_ents(nlp, "The prize went to Tiger Woods.\nResults:\n1. Svetlana Masterkova ( Russia ) 4:06.10"))
    assert ents.get("Tiger Woods") == "PERSON"
    assert ents.get("Svetlana Masterkova") == "PERSON"


def test_table_row_labels_are_entities(nlp):
    text = "Standings:\nNorthampton 4 1 2 1 6 4 5\nScarborough 4 1 3 0 5 3 6"
    ents = dict(_ents(nlp, text))
    assert ents.get("Northampton") == "ORG" and ents.get("Scarborough") == "ORG"


def test_spans_are_trimmed(nlp):
    doc = nlp("Durham 114 all out.\nHe met Leeds\nHeavy rain fell")
    for ent in doc.ents:
        assert "\n" not in ent.text and not ent.text[-1].isdigit()


def test_surnames_and_repeats_are_propagated(nlp):
    doc = nlp("Shawn Estes pitched well. Later, Estes said he was tired.")
    assert [e.text for e in doc.ents if e.label_ == "PERSON"] == ["Shawn Estes", "Estes"]


def test_credit_lines_give_no_entities(nlp):
    doc = nlp("Rebels fought on.\n[Featured Image by Uncredited/AP Images]")
    assert all("Image" not in e.text and "AP" not in e.text for e in doc.ents)


def test_nationality_before_a_name_is_dropped(nlp):
    pytest.importorskip("names", reason="given-name evidence is optional")
    ents = dict(_ents(nlp, "She beat Russian Irina Shevchenko in the final."))
    assert ents.get("Irina Shevchenko") == "PERSON"
