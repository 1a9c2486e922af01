"""An article's text as HTML: each entity mention and each figure marked where the record puts it.

Pure: a record's ``text``, ``entities`` and ``figures`` (as ``show`` returns them) in, escaped
HTML out, each entity's marks linked where the caller gives its address. Entity mentions are the outer marks, figures the inner ones; a figure that
crosses a mention's edge is split into parts with the same ``data-figure``. Spans that
overlap one already marked of their kind (or fall outside the text) are left unmarked and
counted, so the page can say so instead of drawing a wrong mark.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape
from spacy.displacy.render import DEFAULT_LABEL_COLORS

#: displaCy's colour for labels it has none for.
OTHER_COLOUR = "#ddd"


def label_colour(label: str) -> str:
    return DEFAULT_LABEL_COLORS.get(label, OTHER_COLOUR)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    #: Index of the entity or figure in the record's list (and of the mention, for entities).
    index: int
    mention: int = 0


@dataclass
class Marked:
    html: Markup
    #: Spans left unmarked because they overlap another or lie outside the text.
    skipped_entities: int = 0
    skipped_figures: int = 0
    labels: list[str] = field(default_factory=list)


def _layout(spans: list[Span], length: int) -> tuple[list[Span], int]:
    """The spans that can be drawn: inside the text, in order, none overlapping the one before."""
    kept: list[Span] = []
    skipped = 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if not 0 <= span.start < span.end <= length or (kept and span.start < kept[-1].end):
            skipped += 1
            continue
        kept.append(span)
    return kept, skipped


def entity_title(entity: dict) -> str:
    lines = [f"{entity['name']} ({entity['label']})"]
    if entity.get("aliases"):
        lines.append("aliases: " + ", ".join(entity["aliases"]))
    lines.append(f"count {entity.get('count', 0)}, salience {entity.get('salience', 0):g}")
    return "\n".join(lines)


def figure_title(figure: dict) -> str:
    value = figure.get("value")
    lines = [f"value: {'-' if value is None else f'{value:g}'}" + (f" {figure['unit']}" if figure.get("unit") else "")]
    for name in ("qualifier", "subject", "kind"):
        if figure.get(name):
            lines.append(f"{name}: {figure[name]}")
    return "\n".join(lines)


def _figure_parts(text: str, start: int, end: int, figures: list[Span], records: list[dict]) -> Markup:
    """text[start:end] with the figures inside it marked (clipped to the range)."""
    out, position = [], start
    for span in figures:
        if span.end <= start or span.start >= end:
            continue
        left, right = max(span.start, start), min(span.end, end)
        out.append(escape(text[position:left]))
        figure = records[span.index]
        out.append(
            Markup('<span class="figure" data-figure="{}" title="{}">{}</span>').format(
                span.index, figure_title(figure), text[left:right]
            )
        )
        position = right
    out.append(escape(text[position:end]))
    return Markup("").join(out)


def mark_text(text: str, entities: list[dict], figures: list[dict], links: list[str] | None = None) -> Marked:
    """``links`` gives each entity (by its index) the address its marks link to; none: plain marks."""
    mentions, skipped_entities = _layout(
        [Span(m["start"], m["end"], i, j) for i, e in enumerate(entities) for j, m in enumerate(e.get("mentions") or [])],
        len(text),
    )
    figure_spans, skipped_figures = _layout([Span(f["start"], f["end"], i) for i, f in enumerate(figures)], len(text))
    out, position = [], 0
    for span in mentions:
        out.append(_figure_parts(text, position, span.start, figure_spans, figures))
        entity = entities[span.index]
        mark = Markup(
            '<mark class="entity" data-entity="{}" data-mention="{}" data-label="{}" style="--label-colour: {}" title="{}">{}</mark>'
        ).format(
            span.index, span.mention, entity["label"], label_colour(entity["label"]), entity_title(entity),
            _figure_parts(text, span.start, span.end, figure_spans, figures),
        )
        if links:
            mark = Markup('<a class="entity" href="{}">{}</a>').format(links[span.index], mark)
        out.append(mark)
        position = span.end
    out.append(_figure_parts(text, position, len(text), figure_spans, figures))
    labels = sorted({entities[span.index]["label"] for span in mentions})
    return Marked(Markup("").join(out), skipped_entities, skipped_figures, labels)
