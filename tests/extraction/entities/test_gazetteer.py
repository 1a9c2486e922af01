from article_pipeline.extraction.entities.gazetteer import load_gazetteer


def test_places_demonyms_and_canonical_names():
    gaz = load_gazetteer()
    assert gaz.label("Aleppo", strong_only=True) == "GPE"  # a city of millions
    assert gaz.label("Syria") == "GPE"
    assert gaz.label("Russian") == "NORP"
    assert gaz.label("Russians") == "NORP"
    assert gaz.label("Europe") == "LOC"
    assert gaz.label("Palmyra", strong_only=True) is None  # an alternate name: evidence only
    assert gaz.label("Palmyra") == "GPE"
    assert gaz.canonical_name("U.S.") == "United States"
    assert gaz.canonical_name("UK") == "United Kingdom"
    assert "USD" in gaz.currency_codes and "GBP" in gaz.currency_codes


def test_every_name_of_a_place_gives_its_public_id():
    gaz = load_gazetteer()
    assert {gaz.place_id(n) for n in ("US", "U.S.", "USA", "America", "United States", "United States of America")} == {"iso:US"}
    assert {gaz.place_id(n) for n in ("UK", "Britain", "Great Britain", "United Kingdom")} == {"iso:GB"}
    assert gaz.place_id("London") == "geonames:2643743"
    assert gaz.place_id("Scotland") == "iso:GB-SCT"  # a nation of ISO 3166-2
    assert gaz.place_id("Zürich") == gaz.place_id("Zurich") and gaz.place_id("Zurich").startswith("geonames:")
    assert gaz.place_id("Calif.") == gaz.place_id("California")
    assert gaz.place_id("Ruritania") is None


def test_patterns_are_entity_ruler_patterns():
    patterns = load_gazetteer().patterns()
    assert {"label": "GPE", "pattern": "Syria", "id": "Syria"} in patterns
    assert all(p["label"] in {"GPE", "LOC", "NORP"} for p in patterns)


def test_precomputed_data_round_trips_and_refuses_anything_but_plain_values(tmp_path):
    import pickle

    import pytest

    from article_pipeline.extraction.entities import gazetteer

    path = gazetteer.write_data(tmp_path)
    data = gazetteer.read_data(gazetteer.GazetteerConfig(), path)
    assert data is not None and gazetteer.from_data(data).strong == load_gazetteer().strong
    path.write_bytes(pickle.dumps({"format": gazetteer.DATA_FORMAT, "config": gazetteer.GazetteerConfig()}))
    with pytest.raises(pickle.UnpicklingError, match="not allowed"):
        gazetteer.read_data(gazetteer.GazetteerConfig(), path)
