from pathlib import Path

import pytest

from article_pipeline.cleaning import clean_article
from article_pipeline.cleaning.html import parse_html
from article_pipeline.errors import BadInputError

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_html_fixture_metadata_body_and_caption() -> None:
    article = clean_article((FIXTURES / "article.html").read_bytes(), key="incoming/library.html")
    assert article.title == "Library Reopens After Flood Repairs"
    assert article.publisher == "Riverside Gazette"
    assert article.byline == "Priya Natarajan"
    assert article.published == "2022-06-14"
    assert article.language == "en"
    assert len(article.paragraphs) == 4
    assert article.paragraphs[0].startswith("The central library reopened on Monday")
    for furniture in ("Most read", "Home", "All rights reserved", "Share this article", "window.tracking"):
        assert furniture not in article.text
    assert [(i.caption, i.credit, i.featured) for i in article.images] == [
        ("Visitors return to the reading room on Monday.", "Lee Chan/Riverside Gazette", True)
    ]


def test_html_found_by_content_type_and_by_sniffing() -> None:
    raw = (FIXTURES / "article.html").read_bytes()
    by_type = clean_article(raw, key="incoming/library", content_type="text/html; charset=utf-8")
    sniffed = clean_article(raw, key="incoming/library")
    assert by_type.text == sniffed.text == clean_article(raw, key="x.html").text


def test_html_fragment_falls_back_to_paragraphs() -> None:
    parts = parse_html("<div><p>A short note on the harbour.</p><p>The ferry runs again.</p></div>")
    assert parts.paragraphs == ["A short note on the harbour.", "The ferry runs again."]


def test_page_with_only_navigation_is_bad_input() -> None:
    page = b"<html><head><title>Site</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    with pytest.raises(BadInputError) as error:
        clean_article(page, key="x.html")
    assert error.value.kind == "no_article_text"


def test_html_without_text_is_bad_input() -> None:
    with pytest.raises(BadInputError) as error:
        clean_article(b"<html><body><img src='a.png'><script>var a = 1;</script></body></html>", key="x.html")
    assert error.value.kind == "no_article_text"


def test_html_never_fetches_external_entities(monkeypatch) -> None:
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    html = (
        '<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html><body>'
        + "<p>A paragraph of the article that goes on for a while to look like prose.</p>" * 5
        + "</body></html>"
    )
    assert clean_article(html.encode(), key="x.xhtml").paragraphs
