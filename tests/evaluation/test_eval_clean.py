import argparse
import gzip
import json
from pathlib import Path

from article_pipeline_local.evaluation import eval_clean

PAGE = (
    "<html><head><title>Harbour</title></head><body><article><h1>Harbour</h1>"
    + "".join(f"<p>Paragraph {i} of the harbour story says the bridge will be built soon enough.</p>" for i in range(6))
    + "</article><footer>Copyright 2020 Example</footer></body></html>"
)


def _benchmark(tmp_path: Path) -> Path:
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "page1.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    truth = " ".join(f"Paragraph {i} of the harbour story says the bridge will be built soon enough." for i in range(6))
    (tmp_path / "ground-truth.json").write_text(json.dumps({"page1": {"articleBody": truth, "url": "u"}}))
    return tmp_path


def test_token_scores() -> None:
    assert eval_clean.token_scores("a b c", "a b c") == (1.0, 1.0, 1.0)
    precision, recall, f1 = eval_clean.token_scores("a b", "a b c d")
    assert (precision, recall) == (1.0, 0.5) and abs(f1 - 2 / 3) < 1e-9
    assert eval_clean.token_scores("", "a") == (0.0, 0.0, 0.0)


def test_run_prints_scores(tmp_path: Path, capsys) -> None:
    parser = argparse.ArgumentParser()
    eval_clean.add_arguments(parser)
    assert eval_clean.run(parser.parse_args([str(_benchmark(tmp_path)), "--json"])) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["clean_article"]["f1"] == 1.0
    assert "trafilatura defaults" in figures


def test_run_rejects_a_folder_without_benchmark(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    eval_clean.add_arguments(parser)
    assert eval_clean.run(parser.parse_args([str(tmp_path)])) == 2
