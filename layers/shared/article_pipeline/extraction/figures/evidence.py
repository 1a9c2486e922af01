"""The NER's numeric spans as evidence for the figures the rules find.

The model labels MONEY, PERCENT, QUANTITY, CARDINAL, ORDINAL, DATE and TIME in the same
pass that finds names; on OntoNotes news its spans are found far more reliably than the
rules alone find them (see ``article-pipeline eval-figures``). The rules say what the model
cannot: value, unit, currency, qualifier and range. :func:`reconcile` puts the two together:

* a rule figure the model also saw keeps its value, and takes the model's kind where the
  rules only saw a bare number ("6 p.m." TIME, "90 billion patacas" MONEY);
* a model span the rules missed becomes a figure of the model's kind, with the value of the
  number inside it when there is one ("recent years" is a date with no value);
* a bare count or ordinal the model did not see is dropped ("First Boston", "Chapter 11",
  "one of"), as is any figure inside a name ("60 Minutes"); a figure whose own words say
  what it is (a currency, a percent sign, a unit, a month) stays.

Linear in the doc: spans and figures are both in text order and walked once together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Span

from . import numbers, times
from .rules import FigureMatch, number_in

#: NER label -> figure kind.
NER_KINDS = {
    "MONEY": "money", "PERCENT": "percent", "QUANTITY": "quantity", "CARDINAL": "cardinal",
    "ORDINAL": "ordinal", "DATE": "date", "TIME": "time",
}
_DATE_KINDS = frozenset({"date", "year", "decade", "weekday", "relative_date", "day_of_month", "month", "duration"})
#: Rule kinds that agree with each NER label; any other takes the label's kind, keeping
#: its value and unit, unless its own words say what it is (STATED_KINDS, measures).
AGREEING = {
    "MONEY": frozenset({"money"}),
    "PERCENT": frozenset({"percent"}),
    "QUANTITY": frozenset({"quantity"}),
    "CARDINAL": frozenset({"cardinal"}),
    "ORDINAL": frozenset({"ordinal"}),
    "DATE": _DATE_KINDS,
    "TIME": frozenset({"time", "duration"}),
}
#: Rule kinds whose text says what they are (a currency, "%", "percentage point"): they
#: stay whatever the model called the span ("0.07 percentage point" is no bare CARDINAL).
STATED_KINDS = frozenset({"money", "percent"})
#: Units that count rather than measure ("250 points", "12 votes"): such a quantity is the
#: cardinal the model calls it, keeping its unit.
COUNTING_UNITS = frozenset({"point", "run", "wicket", "goal", "vote", "seat"})
#: Rule kinds kept without the model's word: their own text says what they are.
SELF_EVIDENT = frozenset({"money", "percent", "quantity", "date", "duration", "decade", "time", "day_of_month", "month"})
#: Names a number can be part of: no figure inside them.
NAME_LABELS = frozenset({"PERSON", "ORG", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})


def reconcile(doc: Doc, rules: Sequence[FigureMatch], ents: Sequence[Span], codes: frozenset[str] = frozenset()) -> list[FigureMatch]:
    """The figures of ``doc`` from the rules' matches and the model's entity spans."""
    numeric = [t for t in (_trimmed(e) for e in ents if e.label_ in NER_KINDS) if t is not None]
    names = [e for e in ents if e.label_ in NAME_LABELS]
    out: list[FigureMatch] = []
    used: set[int] = set()  # numeric spans some rule figure overlaps
    s = 0  # first numeric span that may overlap the current figure
    n_names = 0
    for fig in rules:
        while s < len(numeric) and numeric[s].end <= fig.start:
            s += 1
        while n_names < len(names) and names[n_names].end <= fig.start:
            n_names += 1
        inside_name = n_names < len(names) and names[n_names].start <= fig.start and fig.end <= names[n_names].end
        overlapping = []
        k = s
        while k < len(numeric) and numeric[k].start < fig.end:
            overlapping.append(k)
            k += 1
        if not overlapping:
            if not inside_name and fig.kind in SELF_EVIDENT:
                out.append(fig)
            continue
        used.update(overlapping)
        out.append(_agree(doc, fig, numeric[overlapping[0]], codes))
    for k, span in enumerate(numeric):
        if k not in used:
            out.append(_from_span(doc, span, codes))
    out.sort(key=lambda f: f.start)
    return out


#: The longest numeric span taken from the model ("the first three months of this year" is 7).
MAX_SPAN_TOKENS = 16


def _trimmed(span: Span) -> Span | None:
    """The span without whitespace tokens at its ends (the model's copy of a hostile text has
    runs of spaces); None when nothing is left or it is too long to be one figure."""
    start, end = span.start, span.end
    while start < end and span.doc[start].is_space:
        start += 1
    while end > start and span.doc[end - 1].is_space:
        end -= 1
    if start == end or end - start > MAX_SPAN_TOKENS:
        return None
    return span if (start, end) == (span.start, span.end) else Span(span.doc, start, end, label=span.label)


def _agree(doc: Doc, fig: FigureMatch, span: Span, codes: frozenset[str]) -> FigureMatch:
    """A rule figure the model saw, of the kind the model says when the rules said less."""
    label = span.label_
    if fig.kind in AGREEING[label] or fig.kind in STATED_KINDS:
        return fig
    if fig.kind == "quantity" and fig.unit not in COUNTING_UNITS:
        return fig  # "two kilometres" measures, whatever the model called it
    kind = NER_KINDS[label]
    if kind == "time":
        clock = times.clock_time(doc, span.start, span.end)
        return replace(fig, kind="time", value=clock, unit=times.UNIT if clock is not None else None, date=None)
    if kind == "money":
        return replace(fig, kind="money", unit=numbers.currency_of_words([t.text for t in span], codes, money=True) or fig.unit)
    if kind == "date":
        return replace(fig, kind="date", value=None, unit=None)  # a date parsed by rules agreed above
    if kind == "quantity" and fig.kind == "cardinal":
        unit = _noun_after(doc, fig.end, span.end)
        return replace(fig, kind="quantity", unit=unit)
    return replace(fig, kind=kind, date=None)


def _from_span(doc: Doc, span: Span, codes: frozenset[str]) -> FigureMatch:
    """A figure for a span of the model's that no rule matched."""
    kind = NER_KINDS[span.label_]
    value = unit = None
    if kind == "time":
        value = times.clock_time(doc, span.start, span.end)
        unit = times.UNIT if value is not None else None
    elif kind != "date":
        found = number_in(doc, span.start, span.end)
        if found is not None:
            value = found
        if kind == "money":
            unit = numbers.currency_of_words([t.text for t in span], codes, money=True)
        elif kind == "percent":
            unit = "percent"
        elif kind == "ordinal" and value is None:
            value = _ordinal_in(span)
    head = next((t.i for t in span if t.like_num), span.start)
    return FigureMatch(span.start, span.end, kind, value, unit, head=head)


def _ordinal_in(span: Span) -> float | None:
    for token in span:
        ordinal = numbers.parse_ordinal(token.text)
        if ordinal is not None:
            return float(ordinal)
    return None


def _noun_after(doc: Doc, start: int, end: int) -> str | None:
    """The unit word a quantity carries inside its span ("1.8 million-square-foot")."""
    words = [t.lower_ for t in doc[start:end] if t.is_alpha]
    return words[-1] if words else None
