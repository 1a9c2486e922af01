"""Search resolves a name to identities over the entity items alone (article_pipeline.search)."""

from __future__ import annotations

from collections import defaultdict

from article_pipeline.identity import entity_id, initials, parent_name, primary_key, search_keys
from article_pipeline.search import articles_of, search


class Archive:
    """Entity items as Store writes them, kept in memory: ``lookup`` is the Query."""

    def __init__(self) -> None:
        self.items: dict[str, list[dict]] = defaultdict(list)
        self.by_letters: dict[str, list[dict]] = defaultdict(list)
        self.asked: list[str] = []

    def article(self, article_id: str, *entities: tuple) -> None:
        for entity in entities:
            name, label, *rest = entity
            aliases = rest[0] if rest else []
            place = rest[1] if len(rest) > 1 else None
            identity = entity_id(name, label, place)
            keys = search_keys(identity, label, [name, *aliases])
            part_of = parent_name(primary_key(identity) or "") if label == "ORG" else None
            for key in keys:
                item = {"article_id": article_id, "id": identity, "name": name, "label": label, "keys": keys, "part_of": part_of}
                self.items[key].append(item)
                if letters := initials(key):
                    self.by_letters[letters].append(item)

    def lookup(self, key: str) -> list[dict]:
        self.asked.append(key)
        return list(self.items.get(key, []))

    def initials(self, letters: str) -> list[dict]:
        return list(self.by_letters.get(letters, []))


def found(groups) -> dict[str, set[str]]:
    return {group.id: set(group.hits) for group in groups}


def blairs() -> Archive:
    archive = Archive()
    archive.article("a1", ("Tony Blair", "PERSON", ["Blair", "Mr Blair"]))
    archive.article("a2", ("Tony Blair", "PERSON"))
    archive.article("a3", ("Blair", "PERSON"))  # an article that only says "Mr Blair"
    archive.article("a4", ("Cherie Blair", "PERSON"))
    return archive


def test_a_surname_finds_every_article_of_the_identity_it_most_often_names():
    archive = blairs()
    groups = search("Blair", archive.lookup)
    assert found(groups) == {"person:tony-blair": {"a1", "a2", "a3"}, "person:cherie-blair": {"a4"}}
    assert [group.id for group in groups] == ["person:tony-blair", "person:cherie-blair"]  # most frequent first


def test_the_full_name_finds_the_articles_that_only_say_the_surname():
    archive = blairs()
    assert found(search("Tony Blair", archive.lookup)) == {"person:tony-blair": {"a1", "a2", "a3"}}
    assert found(search("Prime Minister Tony Blair", archive.lookup)) == {"person:tony-blair": {"a1", "a2", "a3"}}
    assert found(search("Mr Blair", archive.lookup)) == found(search("Blair", archive.lookup))


def test_an_id_asks_for_one_identity():
    archive = blairs()
    assert found(search("Blair", archive.lookup, identity="person:cherie-blair")) == {"person:cherie-blair": {"a4"}}


def test_a_surname_alone_stays_its_own_identity_when_no_fuller_name_has_it():
    archive = Archive()
    archive.article("a1", ("Quist", "PERSON"))
    archive.article("a2", ("Ada Lovelace", "PERSON"))
    assert found(search("Quist", archive.lookup)) == {"person:quist": {"a1"}}


def test_an_acronym_joins_the_expansion_the_archive_gives_it():
    archive = Archive()
    archive.article("a1", ("United Nations", "ORG", ["UN"]))
    archive.article("a2", ("U.N.", "ORG"))
    archive.article("a3", ("United Nations", "ORG"))
    assert found(search("UN", archive.lookup)) == {"org:united-nations": {"a1", "a2", "a3"}}
    assert found(search("United Nations", archive.lookup)) == {"org:united-nations": {"a1", "a2", "a3"}}


def test_an_acronym_no_article_writes_finds_the_names_it_stands_for():
    archive = Archive()
    archive.article("a1", ("Northern Alliance", "ORG"))
    archive.article("a2", ("North Atlantic Treaty Organization", "ORG"))
    archive.article("a3", ("Ned Arden", "PERSON"))  # a person's initials are no acronym
    groups = search("NA", archive.lookup, by_initials=archive.initials)
    assert found(groups) == {"org:northern-alliance": {"a1"}}
    assert found(search("NATO", archive.lookup, by_initials=archive.initials)) == {"org:north-atlantic-treaty-organization": {"a2"}}
    assert found(search("na", archive.lookup, by_initials=archive.initials)) == {}  # lower case is a word, not an acronym


def test_a_body_of_an_organisation_is_found_by_it_and_stays_its_own_identity():
    archive = Archive()
    archive.article("a1", ("United Nations", "ORG"))
    archive.article("a2", ("United Nations General Assembly", "ORG", ["General Assembly"]))
    groups = found(search("United Nations", archive.lookup))
    assert groups == {"org:united-nations": {"a1"}, "org:united-nations-general-assembly": {"a2"}}
    assert found(search("UN", archive.lookup, by_initials=archive.initials)) == groups
    assert found(search("General Assembly", archive.lookup)) == {"org:united-nations-general-assembly": {"a2"}}


def test_places_meet_at_their_public_id_whatever_name_each_article_uses():
    archive = Archive()
    archive.article("a1", ("United States", "GPE", ["U.S."], "iso:US"))
    archive.article("a2", ("US", "GPE", [], "iso:US"))
    archive.article("a3", ("America", "GPE", [], "iso:US"))
    countries = {"us": "iso:US", "united states": "iso:US", "america": "iso:US", "usa": "iso:US"}

    def place_ids(name: str) -> list[str]:
        from article_pipeline.identity import name_key

        return [countries[name_key(name)]] if name_key(name) in countries else []

    for name in ("U.S.", "US", "USA", "America", "United States"):
        assert found(search(name, archive.lookup, place_ids)) == {"iso:US": {"a1", "a2", "a3"}}, name


def test_a_team_named_by_its_city_alone_joins_the_full_name():
    archive = Archive()
    archive.article("a1", ("Ruritania Rovers", "ORG", ["Rovers"]))
    archive.article("a2", ("Ruritania", "ORG"))  # results tables name the team by its town
    shorter = ["rovers", "ruritania"]
    assert found(search("Ruritania Rovers", archive.lookup, shorter=shorter)) == {"org:ruritania-rovers": {"a1"}, "org:ruritania": {"a2"}}


def test_the_label_keeps_one_kind_of_item():
    archive = Archive()
    archive.article("a1", ("Jordan", "PERSON"))
    archive.article("a2", ("Jordan", "ORG"))
    assert found(search("Jordan", archive.lookup, label="ORG")) == {"org:jordan": {"a2"}}


def test_an_entity_page_gets_every_article_of_its_identity():
    archive = blairs()
    assert set(articles_of("person:tony-blair", archive.lookup).hits) == {"a1", "a2", "a3"}
    assert articles_of("person:tony-blair", archive.lookup).names == ["Tony Blair", "Blair"]


def test_an_identitys_names_are_every_form_its_articles_use():
    archive = blairs()
    for items in archive.items.values():
        for item in items:
            if item["article_id"] == "a1":
                item["aliases"] = ["Blair", "Mr Blair"]
    # "Blair": a1 as an alias, a3 as its name; "Tony Blair": a1 and a2; "Mr Blair": a1 alone
    assert articles_of("person:tony-blair", archive.lookup).names == ["Blair", "Tony Blair", "Mr Blair"]


def test_a_search_asks_a_bounded_number_of_keys():
    archive = Archive()
    for n in range(200):
        archive.article(f"a{n}", (f"Person{n} Smith", "PERSON"))
    search("Smith", archive.lookup, limit=30)
    assert len(archive.asked) <= 30
