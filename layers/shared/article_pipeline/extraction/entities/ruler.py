"""``article_gazetteer``: the gazetteer's phrase patterns matched on token texts.

It does what spaCy's ``entity_ruler`` does with phrase patterns and ``overwrite_ents``
off (same matches, same precedence: longest first, then leftmost; never over an entity
the model found), but its patterns are token texts, not Docs: adding the few thousand
patterns hashes strings instead of tokenizing them and creating a lexeme for every new
word, which took most of a cold start. The token texts come with the precomputed
gazetteer (see :mod:`.gazetteer`) or, without it, from the pipeline's own tokenizer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.attrs import ENT_TYPE, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

#: (label, id, token texts)
TokenPattern = tuple[str, str, Sequence[str]]


@Language.factory("article_gazetteer_ruler")
def make_gazetteer_ruler(nlp: Language, name: str):
    return GazetteerRuler(nlp)


class GazetteerRuler:
    """Phrase patterns keyed by the ORTH hashes of their tokens."""

    def __init__(self, nlp: Language) -> None:
        self.strings = nlp.vocab.strings
        #: first token hash -> {length: {token hashes: (label, id)}}: a word that opens
        #: hundreds of names ("New") costs one lookup per length, not one per name
        self._by_first: dict[int, dict[int, dict[tuple[int, ...], tuple[str, str]]]] = {}
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add_patterns(self, patterns: Iterable[TokenPattern]) -> None:
        add = self.strings.add
        for label, ent_id, tokens in patterns:
            if not tokens:
                continue
            add(label)
            add(ent_id)
            key = tuple(add(t) for t in tokens)
            table = self._by_first.setdefault(key[0], {}).setdefault(len(key), {})
            if key not in table:
                self._count += 1
            # the first pattern of a token sequence wins (names are added in sorted order)
            table.setdefault(key, (label, ent_id))

    def match(self, doc: Doc) -> list[tuple[str, str, int, int]]:
        """(label, id, start, end), longest first, then leftmost: entity_ruler's order."""
        if not self._count or not len(doc):
            return []
        orths = doc.to_array(ORTH).tolist()
        by_first = self._by_first
        found = []
        n = len(orths)
        for i in [i for i, orth in enumerate(orths) if orth in by_first]:
            for length, table in by_first[orths[i]].items():
                end = i + length
                hit = table.get(tuple(orths[i:end])) if end <= n else None
                if hit is not None:
                    found.append((hit[0], hit[1], i, end))
        found.sort(key=lambda m: (m[3] - m[2], -m[2]), reverse=True)
        return found

    def __call__(self, doc: Doc) -> Doc:
        matches = self.match(doc)
        if not matches:
            return doc
        ent_types = doc.to_array(ENT_TYPE)
        new: list[Span] = []
        seen: set[int] = set()
        for label, ent_id, start, end in matches:
            # an entity of the model stays (entity_ruler's overwrite_ents=False)
            if ent_types[start:end].any():
                continue
            if start in seen or end - 1 in seen:
                continue
            new.append(Span(doc, start, end, label=label, span_id=ent_id))
            seen.update(range(start, end))
        if new:
            doc.ents = list(doc.ents) + new
        return doc
