from article_pipeline.cleaning import clean_article
from article_pipeline.cleaning.language import detect_language, normalise_language_tag


def test_detects_english_and_others() -> None:
    assert detect_language("The council approved the plan for a new bridge across the harbour on Tuesday.")[0] == "en"
    assert detect_language("Le conseil municipal a approuvé mardi le projet d'un nouveau pont sur le port.")[0] == "fr"
    assert detect_language("Der Stadtrat hat am Dienstag den Plan für eine neue Brücke über den Hafen gebilligt.")[0] == "de"


def test_too_short_is_unknown() -> None:
    assert detect_language("ok") == (None, 0.0)


def test_deterministic() -> None:
    text = "El ayuntamiento aprobó el martes el plan para un nuevo puente sobre el puerto."
    assert len({detect_language(text) for _ in range(5)}) == 1


def test_non_english_article_is_tagged_without_a_warning_of_its_own() -> None:
    # The extraction stage warns once that it skips the language; cleaning only tags it.
    raw = "Nouveau pont\n\nLe conseil municipal a approuvé mardi le projet d'un nouveau pont sur le port.".encode()
    article = clean_article(raw, key="a.txt")
    assert article.language == "fr"
    assert not [warning for warning in article.warnings if "language" in warning or "English" in warning]


def test_language_tags() -> None:
    assert normalise_language_tag("en-GB") == "en"
    assert normalise_language_tag("pt_BR") == "pt"
    assert normalise_language_tag("english") is None
