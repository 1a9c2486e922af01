"""The ``article_figures`` pipeline component: the rules' figures weighed against the NER.

Apart from :mod:`.rules` and :mod:`.evidence` because it needs both, and evidence builds
on the rules: here both are imported, neither imports the other back.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .evidence import reconcile
from .rules import find_figures


@Language.factory(
    "article_figures",
    default_config={"spans_key": "figures"},
)
def make_figures(nlp: Language, name: str, spans_key: str):
    return FigureFinder(spans_key)


class FigureFinder:
    """Pipeline component: ``doc._.figures`` and ``doc.spans[spans_key]``: the rules' figures
    checked against the model's numeric entity spans (see :mod:`.evidence`), so it runs
    after ``ner`` and before ``article_entity_labels`` drops those spans."""

    def __init__(self, spans_key: str = "figures") -> None:
        self.spans_key = spans_key
        self.currency_codes: frozenset[str] = frozenset()

    def __call__(self, doc: Doc) -> Doc:
        found = reconcile(doc, find_figures(doc, self.currency_codes), doc.ents, self.currency_codes)
        doc._.figures = found
        doc.spans[self.spans_key] = [Span(doc, f.start, f.end, label=f.kind) for f in found]
        return doc
