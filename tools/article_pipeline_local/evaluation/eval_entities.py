"""``article-pipeline eval-entities FILE``: score the entities of the record.

Reads a CoNLL-2003 file (or OntoNotes news, see :func:`run_ontonotes`), writes each document as an article would arrive (headline, blank
line, one sentence per line), runs it through the same code as the chain
(:func:`records_for`) and prints document-level micro precision, recall and F1 beside the
raw model (NER only, the document as newline-joined sentences) on the same texts.

Scoring: per document, the set of (lower-cased name without a leading "the" or a trailing
"'s", type) pairs, spaCy labels mapped to CoNLL types; numeric labels are ignored. An
entity of the record contributes its name and each alias.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: spaCy (OntoNotes) label -> CoNLL type; labels not listed are ignored.
LABEL_MAP = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
    "PRODUCT": "MISC",
}


@dataclass
class ConllDocument:
    sentences: list[list[str]] = field(default_factory=list)
    entities: list[tuple[str, str]] = field(default_factory=list)  # (name, CoNLL type)

    @property
    def text(self) -> str:
        """Headline, blank line, then one sentence per line (tokens joined by spaces)."""
        lines = [" ".join(s) for s in self.sentences]
        if not lines:
            return ""
        return lines[0] + "\n\n" + "\n".join(lines[1:])

    @property
    def raw_text(self) -> str:
        return "\n".join(" ".join(s) for s in self.sentences)


def read_conll(path: Path) -> list[ConllDocument]:
    """Documents of a CoNLL-2003 file (``-DOCSTART-`` separated, IOB1 or IOB2 tags)."""
    docs: list[ConllDocument] = []
    doc: ConllDocument | None = None
    sentence: list[str] = []
    current: list[str] = []
    current_type: str | None = None

    def close_entity() -> None:
        nonlocal current, current_type
        if current and doc is not None:
            doc.entities.append((" ".join(current), current_type or ""))
        current, current_type = [], None

    def close_sentence() -> None:
        nonlocal sentence
        close_entity()
        if sentence and doc is not None:
            doc.sentences.append(sentence)
        sentence = []

    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            close_sentence()
            continue
        if parts[0] == "-DOCSTART-":
            close_sentence()
            doc = ConllDocument()
            docs.append(doc)
            continue
        if doc is None:
            doc = ConllDocument()
            docs.append(doc)
        token, tag = parts[0], parts[-1]
        sentence.append(token)
        if tag == "O":
            close_entity()
            continue
        prefix, _, etype = tag.partition("-")
        if prefix == "B" or etype != current_type:
            close_entity()
        current.append(token)
        current_type = etype
    close_sentence()
    return [d for d in docs if d.sentences]


_LEADING_THE = re.compile(r"^the\s+")
_TRAILING_S = re.compile(r"\s*['’]s$")


def normalize(name: str) -> str:
    name = " ".join(name.lower().split())
    name = _LEADING_THE.sub("", name)
    return _TRAILING_S.sub("", name).strip()


def to_pairs(entities: Iterable[tuple[str, str]], label_map: dict[str, str] | None) -> set[tuple[str, str]]:
    out = set()
    for name, label in entities:
        etype = label_map.get(label) if label_map is not None else label
        if etype and normalize(name):
            out.add((normalize(name), etype))
    return out


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(gold: Sequence[set], predicted: Sequence[set]) -> Score:
    s = Score()
    for g, p in zip(gold, predicted):
        s.tp += len(g & p)
        s.fp += len(p - g)
        s.fn += len(g - p)
    return s


#: The headline of a document that has none (OntoNotes): no name, no number.
NEUTRAL_TITLE = "News article"


def records_for(texts: list[str], *, as_body: bool = False) -> list:
    """The stored record of each text (None where it failed).

    Each document is written as a text file and sent through the whole local chain, as
    `article-pipeline run` does, so the score is the score of what gets stored. With
    ``as_body`` each text is the body of a JSON article under a neutral headline, so that
    its first line stays in the body (a plain text's first line is its headline).
    """
    import json
    import tempfile

    from ..emulation.chain import local_pipeline

    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, text in enumerate(texts):
            if as_body:
                path = Path(folder) / f"doc-{number:04d}.json"
                path.write_text(json.dumps({"title": NEUTRAL_TITLE, "text": text}), encoding="utf-8")
            else:
                path = Path(folder) / f"doc-{number:04d}.txt"
                path.write_text(text, encoding="utf-8")
            paths.append(path)
        with local_pipeline(log_level="ERROR") as pipeline:
            outcomes = pipeline.run_files(paths)
    return [outcome.record for outcome in outcomes]


def entity_pairs(record) -> list[tuple[str, str]]:
    """(name, spaCy label) pairs of a record: its entities' names and aliases."""
    pairs = []
    for entity in record.entities if record is not None else []:
        pairs.append((entity.name, entity.label))
        pairs.extend((alias, entity.label) for alias in entity.aliases)
    return pairs


def raw_model_docs(texts: list[str]):
    """The raw model's Docs (NER only), for comparison."""
    import spacy

    from article_pipeline import settings
    from article_pipeline.extraction.model_package import is_installed

    name = next(n for n in settings.DEFAULT_MODELS if is_installed(n))
    nlp = spacy.load(name, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
    return list(nlp.pipe(texts))


def raw_model_for(texts: list[str]) -> list[list[tuple[str, str]]]:
    """The raw model's (name, label) pairs."""
    return [[(e.text, e.label_) for e in doc.ents] for doc in raw_model_docs(texts)]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("conll_file", type=Path, help="a CoNLL-2003 file (-DOCSTART- separated), or OntoNotes news in token/BIO form (#doc lines)")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N documents")
    parser.add_argument("--no-raw", action="store_true", help="skip the raw model's score")
    parser.add_argument("--errors", type=int, default=0, help="print the N most frequent misses and false hits")


def _is_ontonotes(path: Path) -> bool:
    with path.open(encoding="utf-8") as handle:
        return handle.readline().startswith("#doc ")


def _print_rows(title: str, rows: list[tuple[str, Score, float | None]]) -> None:
    print(title)
    print(f"{'':22} {'precision':>9} {'recall':>9} {'F1':>9} {'seconds':>9}")
    for name, s, secs in rows:
        seconds = f"{secs:9.1f}" if secs is not None else f"{'':9}"
        print(f"{name:22} {s.precision:9.3f} {s.recall:9.3f} {s.f1:9.3f} {seconds}")


def _print_errors(gold: Sequence[set], ours: Sequence[set], n: int) -> None:
    from collections import Counter

    misses, false_hits = Counter(), Counter()
    for g, p in zip(gold, ours):
        misses.update(g - p)
        false_hits.update(p - g)
    print("most frequent misses:", misses.most_common(n))
    print("most frequent false hits:", false_hits.most_common(n))


def run_ontonotes(path: Path, args: argparse.Namespace) -> int:
    """OntoNotes labels as they are, scored on the development half, the held-out half and
    the whole file (see :func:`.ontonotes.halves`), the raw model on the same text."""
    from .ontonotes import NAMED_LABELS, halves, read_ontonotes

    labels = {label: label for label in NAMED_LABELS}
    docs = read_ontonotes(path)[: args.limit]
    gold = [to_pairs(d.named(), labels) for d in docs]
    started = time.perf_counter()
    ours = [to_pairs(entity_pairs(r), labels) for r in records_for([d.text for d in docs], as_body=True)]
    elapsed = time.perf_counter() - started
    raw = None
    if not getattr(args, "no_raw", False):
        started = time.perf_counter()
        raw = [to_pairs(r, labels) for r in raw_model_for([d.text for d in docs])]
        raw_elapsed = time.perf_counter() - started
    print(f"{path.name}: {len(docs)} documents, {sum(len(g) for g in gold)} gold (name, label) pairs")
    for name, indexes in halves(docs).items():
        whole = name == "full file"
        rows = [("pipeline", score([gold[i] for i in indexes], [ours[i] for i in indexes]), elapsed if whole else None)]
        if raw is not None:
            rows.append(("raw model (NER only)", score([gold[i] for i in indexes], [raw[i] for i in indexes]), raw_elapsed if whole else None))
        _print_rows(f"== {name}: {len(indexes)} documents", rows)
    if getattr(args, "errors", 0):
        dev = halves(docs)["development half"]
        _print_errors([gold[i] for i in dev], [ours[i] for i in dev], args.errors)
    return 0


def run(args: argparse.Namespace) -> int:
    path: Path = args.conll_file
    if not path.is_file():
        print(f"eval-entities: no such file: {path}", file=sys.stderr)
        return 2
    if _is_ontonotes(path):
        return run_ontonotes(path, args)
    docs = read_conll(path)[: args.limit]
    gold = [to_pairs(d.entities, None) for d in docs]
    started = time.perf_counter()
    ours = [to_pairs(entity_pairs(r), LABEL_MAP) for r in records_for([d.text for d in docs])]
    elapsed = time.perf_counter() - started
    rows = [("pipeline", score(gold, ours), elapsed)]
    if not getattr(args, "no_raw", False):
        started = time.perf_counter()
        raw = [to_pairs(r, LABEL_MAP) for r in raw_model_for([d.raw_text for d in docs])]
        rows.append(("raw model (NER only)", score(gold, raw), time.perf_counter() - started))
    _print_rows(f"{path.name}: {len(docs)} documents, {sum(len(g) for g in gold)} gold (name, type) pairs", rows)
    if getattr(args, "errors", 0):
        _print_errors(gold, ours, args.errors)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="eval-entities", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
