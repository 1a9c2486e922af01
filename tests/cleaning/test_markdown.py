from pathlib import Path

from article_pipeline.cleaning import clean_article
from article_pipeline.cleaning.markdown import markdown_to_text, parse_front_matter

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_markdown_fixture() -> None:
    article = clean_article((FIXTURES / "article.md").read_bytes(), key="incoming/tidal.md")
    assert article.title == "Tidal Power Trial Begins Off the Coast"
    assert (article.byline, article.published, article.publisher) == ("Sam Okafor", "2023-04-18", "Coastal Energy News")
    assert article.paragraphs[0].startswith("A tidal turbine the size of a bus")
    for markup in ("**", "](", "`", "#", "> ", "![", "- The"):
        assert markup not in article.text
    assert "grid planning far easier" in article.text
    assert "The turbine weighs 300 tonnes." in article.paragraphs
    assert article.images[0].caption == "Engineers guide the turbine into place"


def test_first_heading_is_title_without_front_matter() -> None:
    article = clean_article(b"# The Headline\n\nSome *body* text with a [link](https://x.invalid).\n", key="a.md")
    assert article.title == "The Headline"
    assert article.text == "Some body text with a link."


def test_toml_front_matter_and_lists() -> None:
    meta, rest = parse_front_matter('+++\ntitle = "T"\nauthors = ["A", "B"]\n+++\nbody')
    assert meta == {"title": "T", "authors": ["A", "B"]} and rest == "body"
    meta, _ = parse_front_matter("---\ntitle: 'Quoted: title'\ntags: [a, b]\n---\nbody")
    assert meta == {"title": "Quoted: title", "tags": ["a", "b"]}


def test_markdown_sniffed_without_extension() -> None:
    article = clean_article(b"---\ntitle: Sniffed\n---\n\nA paragraph of body text for the sniffed story.", key="incoming/object")
    assert article.title == "Sniffed"


def test_tables_and_code_fences() -> None:
    plain, _, _ = markdown_to_text("| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode line\n```\n")
    assert "a b" in plain and "1 2" in plain and "```" not in plain and "code line" in plain
