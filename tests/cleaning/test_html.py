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


# Page shapes from real pages nobody tuned for (hand-made, a few lines each).
_STORY = (
    "<p>The ferry between Stord and Bergen resumed on Monday after engineers replaced a damaged ramp.</p>"
    "<p>About twelve hundred passengers use the crossing every day, the operator said in a statement.</p>"
)


def test_xhtml_with_an_xml_declaration_is_parsed() -> None:
    page = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml" lang="en">'
        f"<head><title>Ferry</title></head><body><article>{_STORY}</article></body></html>"
    )
    article = clean_article(page.encode(), key="ferry.html")
    assert "damaged ramp" in article.text and "twelve hundred" in article.text


def test_japanese_article_is_not_too_short() -> None:
    # Japanese puts no spaces between words: a whitespace count would call this empty.
    sentences = [
        "子どもへの虐待をなくすための法律ができて、体罰を禁止することになりました。",
        "法律では児童相談所の力を強くしました。医者や保健師が意見を言うようにしました。",
    ]
    page = "<html lang='ja'><body><div>" + "".join(f"<p>{s}</p>" for s in sentences) + "</div></body></html>"
    article = clean_article(page.encode(), key="nhk.html")
    assert all(sentence in article.text for sentence in sentences)


def test_count_words_counts_chinese_and_japanese_by_characters() -> None:
    from article_pipeline.cleaning.text import count_words

    assert count_words("the ferry runs again") == 4
    assert count_words("一个约定信守十五年") == 4
    assert count_words("NHK ニュース 子どもへの虐待") == 1 + 11 // 2


def test_page_inside_a_header_keeps_its_article_and_says_so() -> None:
    # Broken markup leaves the whole page in a <header>, the article inside a menu's list item.
    menu = "".join(f"<li><a href='/{i}'>Section {i}</a></li>" for i in range(5))
    page = (
        "<html><body><header><nav><ul>" + menu + "<li><div><main><article><h1>Ferry</h1>"
        + _STORY + "</article></main></div></li></ul></nav></header><footer>Impressum</footer></body></html>"
    )
    from article_pipeline.cleaning.html import _fallback_blocks, _parse_tree

    warnings: list[str] = []
    blocks = _fallback_blocks(_parse_tree(page), warnings)
    assert blocks == [
        ["The ferry between Stord and Bergen resumed on Monday after engineers replaced a damaged ramp."],
        ["About twelve hundred passengers use the crossing every day, the operator said in a statement."],
    ]
    assert warnings == ["kept <header>, <nav> regions: they hold most of the page's text"]


def test_a_small_header_is_still_dropped_by_the_fallback() -> None:
    page = f"<html><body><header><p>Subscribe to our newsletter today</p></header><div>{_STORY}</div></body></html>"
    from article_pipeline.cleaning.html import _fallback_blocks, _parse_tree

    warnings: list[str] = []
    blocks = _fallback_blocks(_parse_tree(page), warnings)
    assert blocks and not any("Subscribe" in block[0] for block in blocks)
    assert warnings == []


def test_script_only_html_is_bad_input() -> None:
    page = "<html><head><script>var story = 'The ferry runs again on Monday, said the operator of the line.';</script></head><body></body></html>"
    with pytest.raises(BadInputError) as error:
        clean_article(page.encode(), key="script.html")
    assert error.value.kind == "no_article_text"


def _document(paragraphs: list[str]):
    from types import SimpleNamespace

    from lxml import etree

    body = etree.Element("body")
    for text in paragraphs:
        etree.SubElement(body, "p").text = text
    return SimpleNamespace(body=body, title="Ferry", author=None, sitename=None, date=None)


@pytest.mark.parametrize(
    ("balanced_paragraphs", "expected"),
    [(12, "balanced"), (2, "precise")],  # several times longer wins; a little longer does not
)
def test_short_precise_extraction_gives_way_to_a_much_longer_balanced_one(monkeypatch, balanced_paragraphs, expected) -> None:
    import trafilatura

    sentence = "The ferry between Stord and Bergen resumed on Monday after engineers replaced a damaged ramp."

    def extraction(html, **options):
        if options["favor_precision"]:
            return _document([f"precise {sentence}"])
        return _document([f"balanced {sentence}"] * balanced_paragraphs)

    monkeypatch.setattr(trafilatura, "bare_extraction", extraction)
    parts = parse_html(f"<html><body><p>{sentence}</p></body></html>")
    assert parts.paragraphs[0].startswith(expected)


def test_a_newline_in_the_page_source_is_a_space_not_a_paragraph_break() -> None:
    from lxml import etree

    from article_pipeline.cleaning.html import body_blocks

    body = etree.fromstring("<body><p>Ende März 2023 hat \n <hi>der Stadtrat</hi>\n\n den Hafenplan beschlossen.<lb/>Zweite Zeile.</p>"
                            "<code>line one\nline two</code></body>")
    assert body_blocks(body) == [["Ende März 2023 hat der Stadtrat den Hafenplan beschlossen."], ["Zweite Zeile."],
                                 ["line one"], ["line two"]]


def test_the_standfirst_precision_mode_drops_above_the_body_is_kept_from_the_balanced_mode(monkeypatch) -> None:
    import trafilatura
    from types import SimpleNamespace

    from lxml import etree

    headline = "Harbour board approves the new ferry ramp"
    standfirst = "The board voted seven to two for a ramp that lets larger ferries dock in winter storms."
    first = "Work on the ramp starts in March and is due to finish before the summer timetable begins."
    second = "Engineers said the old ramp had been repaired four times in the last two years alone."

    def document(children: list[tuple[str, str]]):
        body = etree.Element("body")
        for tag, text in children:
            etree.SubElement(body, tag).text = text
        return SimpleNamespace(body=body, title=headline, author=None, sitename=None, date=None)

    def extraction(html, **options):
        if options["favor_precision"]:
            return document([("p", first), ("p", second)])
        # a heading of ten words or more is still a headline, not a standfirst
        return document([("head", "Ferry ramp vote: what the harbour board decided for the winter"),
                         ("p", standfirst), ("p", first), ("p", second)])

    monkeypatch.setattr(trafilatura, "bare_extraction", extraction)
    parts = parse_html(f"<html><body><h1>{headline}</h1><p>{standfirst}</p><p>{first}</p><p>{second}</p></body></html>")
    assert parts.paragraphs == [standfirst, first, second]
