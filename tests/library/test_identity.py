"""Names as a newsroom writes them, and the ids they resolve to (article_pipeline.identity)."""

from __future__ import annotations

import pytest

from article_pipeline.identity import (
    entity_id, initials, is_acronym, name_key, parent_name, query_name, search_keys, shorter_names, strip_title, surname,
)


@pytest.mark.parametrize(
    ("written", "title", "name"),
    [
        ("Mr Blair", "Mr", "Blair"),
        ("Mr. Blair", "Mr.", "Blair"),
        ("Prime Minister Tony Blair", "Prime Minister", "Tony Blair"),
        ("President Clinton", "President", "Clinton"),
        ("Sen. Kerry", "Sen.", "Kerry"),
        ("Gen. Lebed", "Gen.", "Lebed"),
        ("Dr Ada Quist", "Dr", "Ada Quist"),
        ("Secretary of State Warren Christopher", "Secretary of State", "Warren Christopher"),
        ("Deputy Prime Minister Oleg Soskovets", "Deputy Prime Minister", "Oleg Soskovets"),
        ("U.S. President Bill Clinton", "U.S. President", "Bill Clinton"),
    ],
)
def test_a_title_is_no_part_of_a_persons_name(written, title, name):
    assert strip_title(written) == (title, name)


@pytest.mark.parametrize("written", ["John Major", "President", "Dr", "Major", "King", "President of the council"])
def test_a_name_that_only_looks_like_a_title_stays_whole(written):
    assert strip_title(written) == (None, written)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("U.S.", "US"),
        ("the U.S.'s", "US"),
        ("Domínguez", "DOMINGUEZ"),
        ("Zürich", "Zurich"),
        ("O’Neill", "O'Neill"),
        ("U.N.", "UN"),
        ("the Pentagon", "Pentagon's"),
        ("Bashar al-Assad", "Bashar al Assad"),
    ],
)
def test_case_accents_dots_possessives_and_the_do_not_separate_names(one, other):
    assert name_key(one) == name_key(other)


def test_a_plural_is_not_a_possessive():
    assert name_key("Reuters'") == "reuters" and name_key("Reuters") == "reuters"


@pytest.mark.parametrize(
    ("written", "last"),
    [("Tony Blair", "blair"), ("Mr Tony Blair", "blair"), ("Bashar al-Assad", "assad"), ("Martin Luther King Jr.", "king"),
     ("Blair", None), ("Ludwig van", None)],
)
def test_surname(written, last):
    assert surname(written) == last


def test_an_id_is_the_kind_and_the_fullest_name_or_a_places_public_id():
    assert entity_id("Prime Minister Tony Blair", "PERSON") == "person:tony-blair"
    assert entity_id("United Nations", "ORG") == "org:united-nations"
    assert entity_id("Ruritania", "GPE") == "place:ruritania"
    assert entity_id("U.S.", "GPE", "iso:US") == "iso:US"


def test_a_person_is_found_by_each_name_and_the_surname_a_place_by_its_id():
    assert search_keys("person:tony-blair", "PERSON", ["Tony Blair", "Mr Blair"]) == ["blair", "tony blair"]
    assert search_keys("org:united-nations", "ORG", ["United Nations", "U.N."]) == ["un", "united nations"]
    assert search_keys("iso:US", "GPE", ["United States", "U.S."]) == ["iso:US"]


def test_shorter_names_of_an_organisation():
    places = {"New York", "U.S."}.__contains__
    assert shorter_names("New York Mets", places) == ["mets", "new york"]
    assert shorter_names("Treasury Department", places) == ["treasury"]
    assert shorter_names("U.S. Treasury Department", places) == ["us treasury", "treasury department", "us", "treasury"]
    assert shorter_names("Red Cross", places) == []


def test_a_body_belongs_to_its_organisation_and_an_acronym_writes_initials():
    assert parent_name("united nations general assembly") == "united nations"
    assert parent_name("federal reserve board") == "federal reserve"
    assert parent_name("security council") is None and parent_name("united nations") is None
    assert search_keys("org:united-nations-general-assembly", "ORG", ["United Nations General Assembly"]) == [
        "united nations", "united nations general assembly"]
    assert initials("united nations") == "un" and initials("bank of england") == "be" and initials("reuters") is None
    assert is_acronym("UN") and is_acronym("U.N.") and is_acronym("NATO")
    assert not is_acronym("Un") and not is_acronym("A") and not is_acronym("UNITEDNATIONS")


@pytest.mark.parametrize(
    ("asked", "name"),
    [("Mr Blair", "Blair"), ("Gen. Lebed", "Lebed"), ("President Clinton", "Clinton"), ("General Assembly", "General Assembly"),
     ("Major League", "Major League"), ("General Motors", "General Motors"), ("Blair", "Blair")],
)
def test_a_search_takes_a_persons_title_off_but_not_a_word_that_begins_other_names(asked, name):
    assert query_name(asked) == name
