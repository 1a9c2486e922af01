"""The project's acceptance samples (read from the shared folder beside the repo)."""

import pytest

from article_pipeline.extraction import extract_articles
from article_pipeline.models import CleanedArticle


def _aleppo(shared_dir) -> CleanedArticle:
    path = shared_dir / "samples" / "aleppo-inquisitr.txt"
    if not path.is_file():
        pytest.skip(f"sample not found: {path}")
    paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    title, rest = paragraphs[0], paragraphs[1:]
    body = [p for p in rest if "[Image by" not in p and not p.startswith(("[Featured", "Share this"))]
    return CleanedArticle(title=title, text="\n\n".join(body), published="2016-12-10")


def test_aleppo(nlp, shared_dir):
    (res,) = extract_articles(nlp, [_aleppo(shared_dir)])
    labels = {e.name: e.label for e in res.entities}
    for name in ("Aleppo", "Syria", "Russia", "Palmyra"):
        assert labels[name] == "GPE", name
    for name in ("Bashar al-Assad", "Igor Konashenkov", "John Kerry"):
        assert labels[name] == "PERSON", name
    for name in ("Reuters", "BBC", "CNN", "Russian Ministry of Defense"):
        assert labels[name] == "ORG", name
    assert labels["Syrian Civil War"] == "EVENT"
    assert "Assad" in next(e for e in res.entities if e.name == "Bashar al-Assad").aliases
    assert "Featured Image" not in labels
    by = {f.text: f for f in res.figures}
    assert (by["93 percent"].value, by["93 percent"].unit) == (93, "percent")
    assert (by["80,000"].value, by["80,000"].qualifier) == (80000, "as high as")
    assert (by["nine"].value, by["nine"].subject) == (9, "citizens")
    assert (by["six-year"].value, by["six-year"].unit, by["six-year"].kind) == (6, "year", "duration")


def test_bbc_money(nlp, shared_dir):
    folder = shared_dir / "samples" / "bbc"
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not files:
        pytest.skip(f"BBC samples not found in {folder}")
    articles = []
    for path in files:
        title, _, body = path.read_text(encoding="utf-8", errors="replace").strip().partition("\n\n")
        articles.append(CleanedArticle(title=title, text=body.strip()))
    results = extract_articles(nlp, articles)
    assert all(not isinstance(r, Exception) for r in results)
    money = [f for r in results for f in r.figures if f.kind == "money"]
    assert money and all(f.value is not None and f.unit and len(f.unit) == 3 for f in money)
    first = {f.text: f for f in results[0].figures}
    assert (first["$1.13bn"].value, first["$1.13bn"].unit) == (1.13e9, "USD")
    assert (first["£600m"].value, first["£600m"].unit) == (6e8, "GBP")
    assert (first["76%"].value, first["76%"].unit) == (76, "percent")
