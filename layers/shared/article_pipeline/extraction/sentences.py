"""Cheap sentence boundaries: punctuation (spaCy's ``sentencizer`` rules) and line breaks.

Headlines, datelines and paragraphs end at a line break without a full stop; the parser
would find those boundaries at many times the cost, so the pipeline uses this component.
"""

from __future__ import annotations

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc


@Language.factory("article_sentences", default_config={"punct_chars": None})
def make_article_sentences(nlp: Language, name: str, punct_chars: list[str] | None):
    sentencizer = Sentencizer(name=name, punct_chars=punct_chars)

    def article_sentences(doc: Doc) -> Doc:
        doc = sentencizer(doc)
        starts = doc.to_array([SENT_START])
        after_line_break = False
        changed = False
        for i, token in enumerate(doc):  # one pass, no look-back: long articles have ~10^6 tokens
            if after_line_break and not token.is_space and starts[i] != 1:
                starts[i] = 1
                changed = True
            after_line_break = token.is_space and "\n" in token.text
        if changed:
            # one write for the doc: Token.is_sent_start = True scans the whole doc each
            # time (Doc.has_annotation), which made a text of short paragraphs quadratic
            doc.from_array([SENT_START], starts)
        return doc

    return article_sentences
