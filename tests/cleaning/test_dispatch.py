import ast
from pathlib import Path

import pytest

from article_pipeline.cleaning import clean_article, detect_format

CLEANING = Path(__file__).resolve().parents[2] / "layers" / "shared" / "article_pipeline" / "cleaning"


@pytest.mark.parametrize(
    ("key", "content_type", "text", "expected"),
    [
        ("a.txt", None, "Headline\n\nBody", "text"),
        ("a.TXT.gz", None, "Headline\n\nBody", "text"),
        ("a.html", None, "plain words", "html"),
        ("a.json", None, "{}", "json"),
        ("a.md", None, "words", "markdown"),
        ("a", "application/json; charset=utf-8", "{}", "json"),
        ("a", "text/markdown", "words", "markdown"),
        ("a", None, "<!DOCTYPE html><html><body></body></html>", "html"),
        ("a", None, '{"title": 1}', "json"),
        ("a", None, "Headline\n\nBody", "text"),
        ("a.txt", None, "<!doctype html><html><p>x</p></html>", "html"),
    ],
)
def test_detect_format(key: str, content_type: str | None, text: str, expected: str) -> None:
    assert detect_format(text, key=key, content_type=content_type) == expected


def test_result_is_the_contract_model() -> None:
    from article_pipeline.models import CleanedArticle

    article = clean_article(b"Headline\n\nA body paragraph for the contract test.", key="a.txt")
    assert isinstance(article, CleanedArticle)
    assert CleanedArticle.model_validate_json(article.model_dump_json()) == article


def test_cleaning_is_pure() -> None:
    """No AWS, network client or spaCy import anywhere in the cleaning package."""
    forbidden = {"boto3", "botocore", "spacy", "requests", "urllib3", "httpx", "socket"}
    for path in CLEANING.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            assert not {name.split(".")[0] for name in names} & forbidden, f"{path.name} imports {names}"
