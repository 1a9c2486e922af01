"""``article-pipeline eval-search FILE``: does search find every article about an entity?

Scores ``search`` on AIDA CoNLL-YAGO (names in Reuters documents linked to Wikidata) the
way the evaluation data's README describes it:

* every document becomes an article (its first sentence the headline line, a blank line,
  one sentence a line) and all of them go through the chain into one table;
* asked about: every entity (``qid``) of two or more documents that is a person, an
  organisation or a place, less national sports teams;
* with every name (``surface``) the documents use for it, less shouted forms (capitals,
  longer than five letters or with a space), another entity's most frequent name
  (metonymy) and, for places, adjective and demonym forms; an entity is asked about only
  if its kept names occur in two or more documents;
* for each (entity, name) pair, search is asked with the name alone: recall is the share of
  the documents naming the entity under a kept name that it finds, precision the share of
  what it finds that mentions the entity at all (1 when it finds nothing);
* reported: the macro average over the pairs, and by type.

The search is :func:`article_pipeline_local.commands.queries.search_groups`, the code behind
``article-pipeline search``. Sentence breaks come from the CoNLL file beside the data
(``conll2003/eng.testa`` for ``dev.jsonl``) when its documents align with it, else from
the tokens (a sentence ends at ``.``, ``?`` or ``!``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PERSON, ORGANISATION, PLACE = "Q215627", "Q43229", "Q27096213"
#: The type a pair is reported under, the first that applies.
TYPE_NAMES = {PERSON: "person", PLACE: "place", ORGANISATION: "organisation"}

_NATIONAL_TEAM = re.compile(r"\bnational\b.*\bteam\b|team$|cricket team", re.IGNORECASE)
#: Endings of adjective and demonym forms of a place ("German", "Britons", "London-based").
_ADJECTIVE = re.compile(
    r"(?:an|ans|ian|ians|ese|ish|i|is|ic|ics|ch|ss|man|men|ot|ots|on|ons|er|ers)$|-(?:based|born|led)$",
    re.IGNORECASE,
)


@dataclass
class Mention:
    surface: str
    qid: str | None
    name: str
    types: list[str]


@dataclass
class Document:
    tokens_text: str
    mentions: list[Mention]
    sentences: list[str] = field(default_factory=list)

    @property
    def article(self) -> str:
        """The article as ``eval-entities`` writes a document: headline, blank line, lines."""
        lines = self.sentences or [self.tokens_text]
        return lines[0] + "\n\n" + "\n".join(lines[1:])


@dataclass(frozen=True)
class Pair:
    qid: str
    name: str
    kind: str
    #: documents naming the entity under one of its kept names (recall's denominator)
    wanted: frozenset[int]
    #: documents naming the entity at all (what precision accepts)
    accepted: frozenset[int]


def read_aida(path: Path, conll: Path | None = None) -> list[Document]:
    documents = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        data = json.loads(line)
        mentions = [Mention(m["surface"], m.get("qid"), m.get("name") or "", list(m.get("types") or ())) for m in data["mentions"]]
        documents.append(Document(data["text"], mentions))
    sentences = _conll_sentences(conll, documents) if conll is not None and conll.is_file() else None
    for number, document in enumerate(documents):
        document.sentences = sentences[number] if sentences else split_sentences(document.tokens_text)
    return documents


def _conll_sentences(conll: Path, documents: list[Document]) -> list[list[str]] | None:
    """The CoNLL file's sentences per document, if its documents are these (same tokens)."""
    from .eval_entities import read_conll

    parsed = read_conll(conll)
    if len(parsed) != len(documents):
        return None
    lines = [[" ".join(sentence) for sentence in doc.sentences] for doc in parsed]
    if any(" ".join(doc_lines) != document.tokens_text for doc_lines, document in zip(lines, documents)):
        return None
    return lines


def split_sentences(tokens_text: str) -> list[str]:
    """Sentences of space-joined tokens: a sentence ends at a lone ``.``, ``?`` or ``!``."""
    lines, current = [], []
    for token in tokens_text.split(" "):
        current.append(token)
        if token in (".", "?", "!"):
            lines.append(" ".join(current))
            current = []
    if current:
        lines.append(" ".join(current))
    return lines


def default_conll(path: Path) -> Path:
    """Where the CoNLL text of an AIDA part lies: ``dev`` is ``eng.testa``, ``test`` ``eng.testb``."""
    part = "eng.testb" if "test" in path.stem else "eng.testa"
    return path.resolve().parent.parent / "conll2003" / part


def kind_of(types: Iterable[str]) -> str | None:
    present = set(types)
    return next((name for qid, name in TYPE_NAMES.items() if qid in present), None)


def _shouted(surface: str) -> bool:
    return surface.isupper() and (len(surface) > 5 or " " in surface)


def pairs_to_ask(documents: Sequence[Document]) -> list[Pair]:
    """The (entity, name) pairs the README's rules ask about, each with its documents."""
    names: dict[str, str] = {}
    kinds: dict[str, str | None] = {}
    surfaces: dict[str, Counter] = defaultdict(Counter)
    docs_by_surface: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for number, document in enumerate(documents):
        for mention in document.mentions:
            if not mention.qid:
                continue
            names[mention.qid] = mention.name
            kinds.setdefault(mention.qid, kind_of(mention.types))
            surfaces[mention.qid][mention.surface] += 1
            docs_by_surface[mention.qid][mention.surface].add(number)
    most_frequent = {qid: counts.most_common(1)[0][0] for qid, counts in surfaces.items()}
    pairs = []
    for qid, by_surface in docs_by_surface.items():
        kind = kinds[qid]
        accepted = frozenset(n for docs in by_surface.values() for n in docs)
        if kind is None or len(accepted) < 2 or _NATIONAL_TEAM.search(names[qid]):
            continue
        kept = [
            surface
            for surface in by_surface
            if not _shouted(surface)
            and not any(most_frequent[other] == surface for other in surfaces if other != qid)
            and not (kind == "place" and surface != names[qid] and _ADJECTIVE.search(surface))
        ]
        wanted = frozenset(n for surface in kept for n in by_surface[surface])
        if len(wanted) < 2:
            continue
        pairs += [Pair(qid, surface, kind, wanted, accepted) for surface in sorted(kept)]
    return pairs


@dataclass
class PairScore:
    pair: Pair
    found: frozenset[int]

    @property
    def recall(self) -> float:
        return len(self.found & self.pair.wanted) / len(self.pair.wanted)

    @property
    def precision(self) -> float:
        return len(self.found & self.pair.accepted) / len(self.found) if self.found else 1.0


def score_pairs(pairs: Sequence[Pair], search: Callable[[str], Iterable[int]]) -> list[PairScore]:
    asked: dict[str, frozenset[int]] = {}
    scores = []
    for pair in pairs:
        if pair.name not in asked:
            asked[pair.name] = frozenset(search(pair.name))
        scores.append(PairScore(pair, asked[pair.name]))
    return scores


def macro(scores: Sequence[PairScore]) -> tuple[float, float]:
    if not scores:
        return 0.0, 0.0
    return sum(s.recall for s in scores) / len(scores), sum(s.precision for s in scores) / len(scores)


def report(scores: Sequence[PairScore], misses: int = 15) -> str:
    lines = [f"{'':14} {'pairs':>6} {'recall':>7} {'precision':>9}"]
    recall, precision = macro(scores)
    lines.append(f"{'all':14} {len(scores):6} {recall:7.3f} {precision:9.3f}")
    for kind in TYPE_NAMES.values():
        part = [s for s in scores if s.pair.kind == kind]
        recall, precision = macro(part)
        lines.append(f"{kind:14} {len(part):6} {recall:7.3f} {precision:9.3f}")
    worst = sorted(scores, key=lambda s: (s.recall - 1) * len(s.pair.wanted) + (s.precision - 1))[:misses]
    worst = [s for s in worst if s.recall < 1 or s.precision < 1]
    if worst:
        lines.append(f"the names that miss most (name, type, found of wanted, precision):")
        for s in worst:
            got = len(s.found & s.pair.wanted)
            lines.append(f"  {s.pair.name!r:32} {s.pair.kind:13} {got:3} of {len(s.pair.wanted):3}   {s.precision:.2f}")
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("aida_file", type=Path, help="AIDA CoNLL-YAGO in JSON lines (doc, text, mentions with qid, surface, types)")
    parser.add_argument("--conll", type=Path, help="the CoNLL file of the same documents, for sentence breaks (default: beside the data)")
    parser.add_argument("--misses", type=int, default=15, help="how many of the worst names to list (default 15)")


def run(args: argparse.Namespace) -> int:
    import tempfile

    from ..commands.queries import group_rows, search_groups, table_lookup
    from ..emulation.chain import local_pipeline

    path: Path = args.aida_file
    if not path.is_file():
        print(f"eval-search: no such file: {path}", file=sys.stderr)
        return 2
    documents = read_aida(path, args.conll or default_conll(path))
    pairs = pairs_to_ask(documents)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder, local_pipeline(log_level="ERROR") as pipeline:
        outcomes = pipeline.run_files(_write_articles(documents, Path(folder)))
        number_of = {outcome.article_id: number for number, outcome in enumerate(outcomes)}
        stored = time.perf_counter() - started

        # The table does not change while it is asked: each key is queried once.
        lookup = _memoised(table_lookup(pipeline.dynamodb, pipeline.stack.table))

        def ask(name: str) -> list[int]:
            groups = search_groups(pipeline.dynamodb, pipeline.stack.table, name, lookup=lookup)
            rows = [row for group in groups for row in group_rows(group)]
            return [number_of[row["article_id"]] for row in rows if row["article_id"] in number_of]

        scores = score_pairs(pairs, ask)
    failed = sum(outcome.record is None or outcome.record.status != "processed" for outcome in outcomes)
    print(f"{path.name}: {len(documents)} documents ({failed} not processed), {len(pairs)} entity-name pairs; "
          f"chain {stored:.0f} s, {len({p.name for p in pairs})} searches {time.perf_counter() - started - stored:.1f} s")
    print(report(scores, args.misses))
    return 0


def _memoised(lookup):
    answers: dict[str, list] = {}

    def memoised(key: str) -> list:
        if key not in answers:
            answers[key] = lookup(key)
        return answers[key]

    return memoised


def _write_articles(documents: Sequence[Document], folder: Path) -> list[Path]:
    paths = []
    for number, document in enumerate(documents):
        path = folder / f"doc-{number:04d}.txt"
        path.write_text(document.article, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="eval-search", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
