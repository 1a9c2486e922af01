import json

import pytest

from article_pipeline.cleaning import clean_article
from article_pipeline.errors import BadInputError

BODY = "The harbour bridge will open next year, the council said on Tuesday after a long debate."


def _clean(obj: object) -> object:
    return clean_article(json.dumps(obj).encode(), key="incoming/story.json")


def test_scraper_shape() -> None:
    article = _clean({
        "title": "Bridge Opens Next Year",
        "text": BODY + "\n\nShare this article\n\nA second paragraph about the bridge and its cost to residents.",
        "url": "https://example.invalid/bridge",
        "authors": ["Jane Doe", "John Roe"],
        "date": "2021-05-04T08:00:00Z",
        "site_name": "Harbour Times",
    })
    assert article.title == "Bridge Opens Next Year"
    assert article.byline == "Jane Doe, John Roe"
    assert article.published == "2021-05-04T08:00:00+00:00"
    assert article.publisher == "Harbour Times"
    assert article.paragraphs == [BODY, "A second paragraph about the bridge and its cost to residents."]
    assert [r.kind for r in article.removed] == ["share"]


@pytest.mark.parametrize("body_key", ["body", "content", "articleBody", "maintext"])
def test_body_key_variants(body_key: str) -> None:
    assert _clean({"headline": "H", body_key: BODY}).text == BODY


def test_json_ld_news_article_in_graph() -> None:
    article = _clean({
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Harbour Times"},
            {
                "@type": "NewsArticle",
                "headline": "Bridge Opens Next Year",
                "articleBody": BODY,
                "author": {"@type": "Person", "name": "Jane Doe"},
                "datePublished": "2021-05-04",
                "publisher": {"@type": "Organization", "name": "Harbour Times"},
                "image": {"@type": "ImageObject", "caption": "The old bridge", "creditText": "Ann Lee"},
                "inLanguage": "en-GB",
            },
        ],
    })
    assert (article.title, article.byline, article.published, article.publisher) == (
        "Bridge Opens Next Year", "Jane Doe", "2021-05-04", "Harbour Times")
    assert article.images[0].caption == "The old bridge" and article.images[0].credit == "Ann Lee"


def test_json_ld_list() -> None:
    article = _clean([{"@type": "BreadcrumbList"}, {"@type": ["NewsArticle"], "headline": "H", "articleBody": BODY}])
    assert article.text == BODY


def test_html_body_goes_through_html_path() -> None:
    html = "<p>" + BODY + "</p><figure><figcaption>The bridge at night. Photo: Ann Lee</figcaption></figure><p>Second paragraph of the article text.</p>"
    article = _clean({"title": "Bridge", "content": html})
    assert article.title == "Bridge"
    assert article.paragraphs[0] == BODY
    assert "<p>" not in article.text and "figcaption" not in article.text


def test_malformed_json() -> None:
    with pytest.raises(BadInputError) as error:
        clean_article(b'{"title": "x", "text": ', key="a.json")
    assert error.value.kind == "malformed_json"


def test_unknown_shape_names_keys() -> None:
    with pytest.raises(BadInputError) as error:
        _clean({"foo": 1, "bar": {"baz": 2}})
    assert error.value.kind == "unknown_json_shape"
    assert "bar" in error.value.message and "foo" in error.value.message


def test_list_of_many_articles_is_unknown_shape() -> None:
    with pytest.raises(BadInputError) as error:
        _clean([{"title": "a", "text": BODY}, {"title": "b", "text": BODY}])
    assert error.value.kind == "unknown_json_shape"
