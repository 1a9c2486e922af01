"""Part-of-speech tags for the words around each figure, at the cost of those words only.

The main pipe runs ``ner`` alone of the model's components; what a figure counts
(:mod:`.subjects`) needs tags and coarse POS, so a window of each sentence around its
countable figures is copied out as a Doc of its own and run through ``tok2vec`` and
``tagger``. No dependency parse: the model's parser would double the cost.

Two costs that used to dwarf the tagging itself are avoided here, with the same result:

* ``Span.as_doc()`` costs the length of the *whole* doc for every span copied (so a long
  article with many figures cost the square of its length): :class:`SpanCopier` copies
  what the tagger reads, in time linear in the span;
* ``attribute_ruler`` runs a Matcher with some 180 patterns over every token, to set the
  coarse POS that :mod:`.subjects` reads: :class:`PosTable` applies the same patterns as
  a lookup on (tag, lower-case form, is-space), memoised. Patterns on ``DEP`` never match
  (there is no parse).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence

from spacy.attrs import NORM, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

#: Components of the figure tagging, in order (attribute_ruler's POS comes from PosTable).
PIPES = ("tok2vec", "tagger")


class SpanCopier:
    """A span as a Doc of its own, for the tagger: in time linear in the span.

    ``Span.as_doc()`` costs the length of the whole doc for every span (it converts the
    doc to an array and lists the doc's entities each time), so a long article's figure
    sentences cost the square of its length. What the tagger reads is copied here instead:
    the words and spaces, the token norms (tok2vec's features; the rest come from the
    shared vocab) and the sentence boundaries, the array made once per doc. Tags and
    entities of the source doc are never read.
    """

    ATTRS = (NORM, SENT_START)

    def __init__(self) -> None:
        self._arrays: dict[int, tuple[Doc, object]] = {}

    def __call__(self, span: Span) -> Doc:
        doc = span.doc
        cached = self._arrays.get(id(doc))
        if cached is None or cached[0] is not doc:
            cached = self._arrays[id(doc)] = (doc, doc.to_array(list(self.ATTRS)))
        tokens = list(span)
        copy = Doc(doc.vocab, words=[t.text for t in tokens], spaces=[bool(t.whitespace_) for t in tokens])
        copy.from_array(list(self.ATTRS), cached[1][span.start : span.end])
        return copy


class PosTable:
    """attribute_ruler's coarse POS, from its single-token patterns, as a memoised lookup."""

    def __init__(self, patterns: Sequence[dict]) -> None:
        self.rules: list[tuple[list[dict], str]] = []
        for entry in patterns:
            pos = entry["attrs"].get("POS")
            if pos is None:
                continue
            for pattern in entry["patterns"]:
                if any(_dep_never_matches(token) for token in pattern):
                    continue  # needs a parse, which never runs
                if len(pattern) != 1:
                    raise ValueError(f"unsupported attribute_ruler pattern: {pattern}")
                (token,) = pattern
                unknown = set(token) - {"TAG", "LOWER", "IS_SPACE", "DEP"}
                if unknown:
                    raise ValueError(f"unsupported attribute_ruler pattern: {pattern}")
                self.rules.append((token, pos))
        self._memo: dict[tuple[str, str, bool], str | None] = {}

    @classmethod
    def from_nlp(cls, nlp: Language) -> "PosTable":
        return cls(nlp.get_pipe("attribute_ruler").patterns)

    def pos(self, tag: str, lower: str, is_space: bool) -> str | None:
        key = (tag, lower, is_space)
        if key in self._memo:
            return self._memo[key]
        found = None
        values = {"TAG": tag, "LOWER": lower, "IS_SPACE": is_space, "DEP": ""}
        for token, pos in self.rules:  # later patterns take precedence, as in the ruler
            if all(_matches(values[attr], spec) for attr, spec in token.items()):
                found = pos
        self._memo[key] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            pos = self.pos(token.tag_, token.lower_, token.is_space)
            if pos is not None:
                token.pos_ = pos
        return doc


def _matches(value, spec) -> bool:
    if isinstance(spec, dict):
        if set(spec) - {"IN", "NOT_IN"}:
            raise ValueError(f"unsupported attribute_ruler predicate: {spec}")
        return ("IN" not in spec or value in spec["IN"]) and ("NOT_IN" not in spec or value not in spec["NOT_IN"])
    return value == spec


def _dep_never_matches(token: dict) -> bool:
    """A token pattern on DEP, which is unset without a parser."""
    return "DEP" in token and not _matches("", token["DEP"])


class FigureTagger:
    """tok2vec + tagger, and attribute_ruler's POS, over span Docs."""

    def __init__(self, nlp: Language) -> None:
        self.pipes = [nlp.get_pipe(name) for name in PIPES]
        self.pos = PosTable.from_nlp(nlp) if "attribute_ruler" in nlp.component_names else None

    @classmethod
    def available(cls, nlp: Language) -> bool:
        return all(name in nlp.component_names for name in PIPES)

    def __call__(self, docs: Iterable[Doc], batch_size: int) -> list[Doc]:
        tok2vec, tagger = self.pipes
        docs = list(tagger.pipe(tok2vec.pipe(docs, batch_size=batch_size), batch_size=batch_size))
        if self.pos is not None:
            docs = [self.pos(doc) for doc in docs]
        return docs


_TAGGERS: "weakref.WeakKeyDictionary[Language, FigureTagger]" = weakref.WeakKeyDictionary()


def figure_tagger(nlp: Language) -> FigureTagger | None:
    """The pipeline's figure tagger (made once per pipeline), or None without a tagger."""
    if not FigureTagger.available(nlp):
        return None
    tagger = _TAGGERS.get(nlp)
    if tagger is None:
        tagger = _TAGGERS[nlp] = FigureTagger(nlp)
    return tagger
