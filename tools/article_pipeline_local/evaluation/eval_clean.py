"""``article-pipeline eval-clean DIR``: score the cleaning stage on an extraction benchmark.

DIR is either trafilatura's evaluation set (``evaldata.json``, see ``eval_trafilatura``) or
holds ``html/<id>.html.gz`` pages and ``ground-truth.json`` (``{id: {"articleBody": ...}}``),
the layout of the Zyte article-extraction benchmark. Each page goes through ``clean_article``,
the pipeline's own code, and its body is scored against ``articleBody`` as a bag of
whitespace tokens (precision, recall, F1 per page, averaged over pages). trafilatura's
default ``extract()`` is scored on the same pages for comparison.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from article_pipeline.cleaning import clean_article
from article_pipeline.errors import BadInputError

from . import eval_trafilatura


@dataclass(frozen=True)
class PageScore:
    page_id: str
    precision: float
    recall: float
    f1: float
    error: str | None = None


@dataclass(frozen=True)
class Summary:
    name: str
    pages: list[PageScore]
    seconds: float

    def mean(self, field: str) -> float:
        return sum(getattr(page, field) for page in self.pages) / len(self.pages) if self.pages else 0.0


def token_scores(predicted: str, truth: str) -> tuple[float, float, float]:
    """Bag-of-whitespace-token precision, recall and F1 (1.0 each when both are empty)."""
    predicted_tokens, truth_tokens = Counter(predicted.split()), Counter(truth.split())
    if not predicted_tokens and not truth_tokens:
        return 1.0, 1.0, 1.0
    if not predicted_tokens or not truth_tokens:
        return 0.0, 0.0, 0.0
    overlap = sum((predicted_tokens & truth_tokens).values())
    precision = overlap / sum(predicted_tokens.values())
    recall = overlap / sum(truth_tokens.values())
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def load_benchmark(directory: Path, limit: int | None = None) -> Iterator[tuple[str, str, bytes, str]]:
    """(page id, file name, gzipped page bytes, ground-truth body) for each page with a truth."""
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    paths = sorted((directory / "html").glob("*.html.gz"))
    count = 0
    for path in paths:
        page_id = path.name.removesuffix(".html.gz")
        if page_id not in truth:
            continue
        yield page_id, path.name, path.read_bytes(), truth[page_id].get("articleBody") or ""
        count += 1
        if limit is not None and count >= limit:
            return


def _score(name: str, pages: list[tuple[str, str, bytes, str]], extract: Callable[[str, bytes], str]) -> Summary:
    started = time.perf_counter()
    scores: list[PageScore] = []
    for page_id, file_name, raw, truth in pages:
        error = None
        try:
            predicted = extract(file_name, raw)
        except BadInputError as exc:
            predicted, error = "", f"{exc.kind}: {exc.message}"
        scores.append(PageScore(page_id, *token_scores(predicted, truth), error=error))
    return Summary(name, scores, time.perf_counter() - started)


def _clean(file_name: str, raw: bytes) -> str:
    return clean_article(raw, key=file_name).text


def _trafilatura_default(_file_name: str, raw: bytes) -> str:
    import trafilatura

    return trafilatura.extract(gzip.decompress(raw)) or ""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", metavar="DIR", type=Path,
                        help="benchmark folder: html/*.html.gz with ground-truth.json (Zyte) or evaldata.json (trafilatura)")
    parser.add_argument("--worst", type=int, default=5, metavar="N", help="list the N worst pages (default 5)")
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="score only the first N pages")
    parser.add_argument("--no-baseline", action="store_true", help="skip scoring trafilatura's defaults")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")


def run(args: argparse.Namespace) -> int:
    directory: Path = args.directory
    if eval_trafilatura.is_benchmark(directory):
        # trafilatura's evaluation set: with/without segments rather than a whole body
        return eval_trafilatura.run(directory, limit=args.limit, baseline=not args.no_baseline,
                                    as_json=args.json, shortest=args.worst)
    if not (directory / "ground-truth.json").is_file() or not (directory / "html").is_dir():
        print(f"error: {directory} has no ground-truth.json and html/ folder", file=sys.stderr)
        return 2
    pages = list(load_benchmark(directory, args.limit))
    if not pages:
        print(f"error: no scored pages in {directory}", file=sys.stderr)
        return 2
    summaries = [_score("clean_article", pages, _clean)]
    if not args.no_baseline:
        summaries.append(_score("trafilatura defaults", pages, _trafilatura_default))

    if args.json:
        print(json.dumps({
            summary.name: {
                "pages": len(summary.pages),
                "precision": round(summary.mean("precision"), 4),
                "recall": round(summary.mean("recall"), 4),
                "f1": round(summary.mean("f1"), 4),
                "seconds": round(summary.seconds, 2),
                "worst": [
                    {"id": page.page_id, "precision": round(page.precision, 4), "recall": round(page.recall, 4),
                     "f1": round(page.f1, 4), **({"error": page.error} if page.error else {})}
                    for page in sorted(summary.pages, key=lambda page: page.f1)[: args.worst]
                ],
            }
            for summary in summaries
        }, indent=2))
        return 0

    print(f"{len(pages)} pages from {directory}")
    print(f"{'extractor':<22} {'precision':>9} {'recall':>9} {'F1':>9} {'seconds':>8}")
    for summary in summaries:
        print(f"{summary.name:<22} {summary.mean('precision'):>9.4f} {summary.mean('recall'):>9.4f} "
              f"{summary.mean('f1'):>9.4f} {summary.seconds:>8.1f}")
    if args.worst > 0:
        print(f"\nworst {args.worst} pages for clean_article:")
        for page in sorted(summaries[0].pages, key=lambda page: page.f1)[: args.worst]:
            note = f"  ({page.error})" if page.error else ""
            print(f"  {page.page_id[:16]}  P {page.precision:.3f}  R {page.recall:.3f}  F1 {page.f1:.3f}{note}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run on its own (``python -m article_pipeline_local.evaluation.eval_clean DIR``) until the CLI wires it."""
    parser = argparse.ArgumentParser(prog="eval-clean", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
