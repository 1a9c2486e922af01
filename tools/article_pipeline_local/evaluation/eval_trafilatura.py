"""Cleaning scored on trafilatura's own evaluation set, beside trafilatura on the same bytes.

DIR holds ``evaldata.json`` (``{url: {"file", "with", "without"}}``) and ``html/<file>.gz``.
Scoring is that of trafilatura's ``tests/eval_common.py``: whitespace is normalised in the
output and in each segment; a ``with`` segment found in the output (as a substring) is a
true positive, else a false negative; a ``without`` segment found is a false positive, else
a true negative. Precision, recall and F are over all segments of all pages, and a page that
fails scores as empty output.

The project's side is the record's ``text``: ``clean_article`` on the page's bytes, as the
Clean stage runs it. trafilatura's side is ``extract()`` with the benchmark's settings (no
comments, with tables, no formatting). The pages are also split in two halves by a hash of
the file name, "tune" and "check", so that a change tuned on one half can be checked on the
other.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from article_pipeline.cleaning import clean_article
from article_pipeline.errors import BadInputError

#: trafilatura's canonical benchmark settings (its ``tests/eval_common.py``).
TRAFILATURA_OPTIONS: dict[str, bool] = {"include_comments": False, "include_tables": True, "include_formatting": False}

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class EvalPage:
    url: str
    file: str
    with_segments: list[str]
    without_segments: list[str]
    raw: bytes  # gzipped, as stored


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tn += other.tn

    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    def f1(self) -> float:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else 0.0


@dataclass
class Result:
    name: str
    counts: dict[str, Counts] = field(default_factory=dict)  # by split: "all", "tune", "check"
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    lengths: dict[str, int] = field(default_factory=dict)  # file -> characters of output
    seconds: float = 0.0


def normalise(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def count_page(with_segments: Iterable[str], without_segments: Iterable[str], output: str | None) -> Counts:
    """(tp, fp, fn, tn) of one page: segments found in the whitespace-normalised output."""
    withs, withouts = list(with_segments), list(without_segments)
    found = normalise(output) if output else ""
    tp = sum(1 for segment in withs if output and normalise(segment) in found)
    fp = sum(1 for segment in withouts if output and normalise(segment) in found)
    return Counts(tp=tp, fp=fp, fn=len(withs) - tp, tn=len(withouts) - fp)


def split_of(file_name: str) -> str:
    """"tune" or "check", stable across runs and machines (a hash of the file name)."""
    return "tune" if hashlib.sha256(file_name.encode("utf-8")).digest()[0] % 2 == 0 else "check"


def is_benchmark(directory: Path) -> bool:
    return (directory / "evaldata.json").is_file() and (directory / "html").is_dir()


def load_pages(directory: Path, limit: int | None = None) -> list[EvalPage]:
    data: dict[str, dict[str, Any]] = json.loads((directory / "evaldata.json").read_text(encoding="utf-8"))
    pages: list[EvalPage] = []
    for url, item in sorted(data.items(), key=lambda pair: pair[1]["file"]):
        path = directory / "html" / f"{item['file']}.gz"
        if not path.is_file():
            continue
        pages.append(EvalPage(url, item["file"], list(item.get("with", [])), list(item.get("without", [])), path.read_bytes()))
        if limit is not None and len(pages) >= limit:
            break
    return pages


def project_text(page: EvalPage) -> str:
    """The record's ``text``: the Clean stage's own function on the stored bytes."""
    return clean_article(page.raw, key=f"{page.file}.gz").text


def trafilatura_text(page: EvalPage) -> str | None:
    import trafilatura

    return trafilatura.extract(gzip.decompress(page.raw), **TRAFILATURA_OPTIONS)


def score(name: str, pages: list[EvalPage], extract: Callable[[EvalPage], str | None]) -> Result:
    result = Result(name, counts={"all": Counts(), "tune": Counts(), "check": Counts()})
    started = time.perf_counter()
    for page in pages:
        output: str | None
        try:
            output = extract(page)
        except BadInputError as exc:
            output = None
            result.failed.append((page.file, f"{exc.kind}: {exc.message}"))
        except Exception as exc:  # a crash counts as a full miss, as in trafilatura's own scoring
            output = None
            result.failed.append((page.file, f"{type(exc).__name__}: {exc}"))
        if output is None and not any(file == page.file for file, _ in result.failed):
            result.failed.append((page.file, "no output"))
        counts = count_page(page.with_segments, page.without_segments, output)
        result.counts["all"].add(counts)
        result.counts[split_of(page.file)].add(counts)
        result.lengths[page.file] = len(output or "")
    result.seconds = time.perf_counter() - started
    return result


def _figures(result: Result) -> dict[str, Any]:
    return {
        "splits": {
            split: {"precision": round(c.precision(), 4), "recall": round(c.recall(), 4), "f1": round(c.f1(), 4),
                    "tp": c.tp, "fp": c.fp, "fn": c.fn, "tn": c.tn}
            for split, c in result.counts.items()
        },
        "failed": [{"file": file, "reason": reason} for file, reason in result.failed],
        "seconds": round(result.seconds, 2),
    }


def run(directory: Path, *, limit: int | None, baseline: bool, as_json: bool, shortest: int) -> int:
    pages = load_pages(directory, limit)
    if not pages:
        print(f"error: no pages in {directory}", file=sys.stderr)
        return 2
    results = [score("clean_article", pages, project_text)]
    if baseline:
        import trafilatura

        results.append(score(f"trafilatura {trafilatura.__version__}", pages, trafilatura_text))
    if as_json:
        print(json.dumps({result.name: _figures(result) for result in results}, indent=2))
        return 0
    tune = sum(1 for page in pages if split_of(page.file) == "tune")
    print(f"{len(pages)} pages from {directory} (tune {tune}, check {len(pages) - tune}); P / R / F over segments")
    print(f"{'extractor':<22} {'split':<6} {'precision':>9} {'recall':>9} {'F':>9}")
    for result in results:
        for split in ("all", "tune", "check"):
            c = result.counts[split]
            print(f"{result.name:<22} {split:<6} {c.precision():>9.3f} {c.recall():>9.3f} {c.f1():>9.3f}")
    for result in results:
        print(f"\n{result.name}: {len(result.failed)} failed pages ({result.seconds:.1f} s)")
        for file, reason in result.failed:
            print(f"  {file}: {reason}")
    if baseline and shortest > 0:
        ours, theirs = results[0].lengths, results[1].lengths
        print(f"\n{shortest} pages where clean_article keeps least beside trafilatura (characters):")
        worst = sorted(ours, key=lambda file: ours[file] - theirs.get(file, 0))[:shortest]
        for file in worst:
            print(f"  {file}: {ours[file]} against {theirs.get(file, 0)}")
    return 0
