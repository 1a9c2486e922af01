"""The trafilatura benchmark's reader and scoring. Every page and segment here is made up
for the test in the benchmark's format; the real set is only read where it lies, in the
team's shared folder (the slow test), never copied."""

import argparse
import gzip
import json
from pathlib import Path

import pytest

from article_pipeline_local.evaluation import eval_clean, eval_trafilatura
from article_pipeline_local.evaluation.eval_trafilatura import Counts, count_page

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "trafilatura-dev"


def test_segments_match_after_whitespace_normalisation() -> None:
    counts = count_page(["the  ferry\nruns", "missing text"], ["Share this", "Accept all tracking"], "The x the ferry runs again. Share  this")
    assert (counts.tp, counts.fn, counts.fp, counts.tn) == (1, 1, 1, 1)


def test_no_output_misses_every_with_segment_and_finds_no_boilerplate() -> None:
    for output in (None, ""):
        counts = count_page(["quay lamps glowed"], ["subscribe to the quay gazette"], output)
        assert (counts.tp, counts.fn, counts.fp, counts.tn) == (0, 1, 0, 1)


def test_scores_are_over_all_segments_of_all_pages() -> None:
    total = Counts()
    total.add(Counts(tp=3, fp=1, fn=1, tn=2))
    total.add(Counts(tp=1, fp=0, fn=3, tn=3))
    assert total.precision() == 4 / 5 and total.recall() == 4 / 8
    assert total.f1() == pytest.approx(2 * 4 / (2 * 4 + 1 + 4))
    assert Counts().f1() == 0.0


def test_split_is_stable_and_uses_both_halves() -> None:
    names = [f"site{i}.example.html" for i in range(40)]
    splits = [eval_trafilatura.split_of(name) for name in names]
    assert set(splits) == {"tune", "check"}
    assert splits == [eval_trafilatura.split_of(name) for name in names]


def _benchmark(tmp_path: Path) -> Path:
    (tmp_path / "html").mkdir()
    story = "".join(f"<p>Paragraph {i} of the harbour story says the new bridge will be built soon enough.</p>" for i in range(6))
    page = f"<html><body><nav>Home News Sport</nav><article><h1>Harbour</h1>{story}</article><footer>Copyright Example</footer></body></html>"
    (tmp_path / "html" / "harbour.html.gz").write_bytes(gzip.compress(page.encode()))
    (tmp_path / "html" / "empty.html.gz").write_bytes(gzip.compress(b"<html><body><script>x=1</script></body></html>"))
    data = {
        "https://example.org/harbour": {"file": "harbour.html", "with": ["Paragraph 0 of the harbour story", "built soon enough."],
                                        "without": ["Copyright Example"]},
        "https://example.org/empty": {"file": "empty.html", "with": ["Nothing here"], "without": ["x=1"]},
    }
    (tmp_path / "evaldata.json").write_text(json.dumps(data))
    return tmp_path


def test_eval_clean_dispatches_on_the_benchmark_format(tmp_path: Path, capsys) -> None:
    parser = argparse.ArgumentParser()
    eval_clean.add_arguments(parser)
    assert eval_clean.run(parser.parse_args([str(_benchmark(tmp_path)), "--json"])) == 0
    figures = json.loads(capsys.readouterr().out)
    ours = figures["clean_article"]
    assert ours["splits"]["all"] == {"precision": 1.0, "recall": round(2 / 3, 4), "f1": 0.8, "tp": 2, "fp": 0, "fn": 1, "tn": 2}
    assert [page["file"] for page in ours["failed"]] == ["empty.html"]
    assert any(name.startswith("trafilatura ") for name in figures)


@pytest.mark.slow
@pytest.mark.check  # the whole evaluation set, both extractors: `make check`
def test_shared_third_project_ahead_of_trafilatura_and_no_page_fails() -> None:
    if not (SHARED / "evaldata.json").is_file():
        pytest.skip("trafilatura-dev evaluation set not present next to the repository")
    pages = eval_trafilatura.load_pages(SHARED)
    ours = eval_trafilatura.score("clean_article", pages, eval_trafilatura.project_text)
    theirs = eval_trafilatura.score("trafilatura", pages, eval_trafilatura.trafilatura_text)
    assert ours.failed == []
    assert ours.counts["all"].f1() > theirs.counts["all"].f1()
