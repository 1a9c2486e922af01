"""``article-pipeline eval-figures ONTONOTES_TSV``: score the figures of the record.

Reads OntoNotes news in token/BIO form (:mod:`.ontonotes`), sends each document through the
same code as the chain and prints, beside the raw model (NER only, numeric labels) on the
same text, for the development half, the held-out half and the full file:

* span precision, recall and F1 by kind: a gold numeric span is found when a figure
  overlaps it with a compatible kind, a figure is right when it overlaps a gold span of a
  compatible kind (OntoNotes puts modifiers inside its spans, so boundaries are not scored);
* value accuracy for MONEY and PERCENT: every such span that states one plain number is
  checked against the value or ``value_max`` of the figures overlapping it (cents are
  hundredths), and, where the span says which currency it is, against their unit too.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .eval_entities import Score, raw_model_docs, records_for
from .ontonotes import NUMERIC_LABELS, GoldSpan, OntoDocument, halves, read_ontonotes

#: Figure kind -> the gold labels it may stand for.
_DATE_KINDS = ("date", "year", "decade", "weekday", "relative_date", "day_of_month", "month")
COMPATIBLE = {
    **{kind: {"DATE"} for kind in _DATE_KINDS},
    "duration": {"DATE", "TIME"},
    "time": {"TIME"},
    "money": {"MONEY"},
    "percent": {"PERCENT"},
    "cardinal": {"CARDINAL"},
    "ordinal": {"ORDINAL"},
    "quantity": {"QUANTITY"},
    # a range stands for any of its ends' kinds, told by its unit
    "range": {"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "DATE", "TIME"},
}

#: Currency markers a gold span may carry -> ISO 4217 (only the unambiguous ones).
_CURRENCY_MARKERS = {
    "us$": "USD", "c$": "CAD", "hk$": "HKD", "nt$": "TWD", "a$": "AUD", "s$": "SGD", "£": "GBP",
    "yen": "JPY", "yuan": "CNY", "rmb": "CNY", "renminbi": "CNY", "patacas": "MOP", "pataca": "MOP",
    "marks": "DEM", "pounds": "GBP", "sterling": "GBP", "pesetas": "ESP", "lire": "ITL", "won": "KRW",
    "rupees": "INR", "rubles": "RUB", "roubles": "RUB", "euros": "EUR", "euro": "EUR",
}
_COUNTRY_DOLLARS = {"canadian": "CAD", "australian": "AUD", "hong": "HKD", "taiwan": "TWD", "singapore": "SGD", "new": "NZD", "us": "USD", "u.s.": "USD", "american": "USD"}
_PLAIN_NUMBER = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
_SCALES = {"million": 1e6, "billion": 1e9, "trillion": 1e12, "thousand": 1e3}


@dataclass(frozen=True)
class Predicted:
    start: int
    end: int
    kind: str
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None


def labels_of(fig: Predicted) -> set[str]:
    """The gold labels a figure may stand for; a raw NER span stands for its own label."""
    if fig.kind in NUMERIC_LABELS:
        return {fig.kind}
    if fig.kind == "range":
        if fig.unit == "percent":
            return {"PERCENT"}
        if fig.unit and fig.unit.isupper() and len(fig.unit) == 3:
            return {"MONEY"}
    return COMPATIBLE.get(fig.kind, set())


def expected_value(span: GoldSpan) -> float | None:
    """The value a MONEY/PERCENT span states when it states one plain number, else None."""
    words = [t.lower() for t in span.tokens]
    numbers = [i for i, w in enumerate(words) if _PLAIN_NUMBER.match(w)]
    if len(numbers) != 1 or any(w in ("to", "-", "and", "between", "/", "a", "an", "half") for w in words):
        return None
    if any(re.fullmatch(r"\d+/\d+", w) for w in words):
        return None
    i = numbers[0]
    value = float(words[i].replace(",", ""))
    if i + 1 < len(words) and words[i + 1] in _SCALES:
        value *= _SCALES[words[i + 1]]
    if any(w in ("cents", "cent", "pence") for w in words[i + 1 :]):
        value /= 100
    return value


def expected_currency(span: GoldSpan, text: str) -> str | None:
    """The ISO 4217 code a MONEY span's own words make certain, else None."""
    words = [t.lower() for t in span.tokens]
    before = text[max(0, span.start - 4) : span.start].lower()
    for marker in ("us$", "c$", "hk$", "nt$", "a$", "s$"):
        if marker in words or before.endswith(marker):
            return _CURRENCY_MARKERS[marker]
    for i, word in enumerate(words):
        if word in _CURRENCY_MARKERS:
            return _CURRENCY_MARKERS[word]
        if word in ("dollars", "dollar") and i > 0 and words[i - 1] in _COUNTRY_DOLLARS:
            return _COUNTRY_DOLLARS[words[i - 1]]
    if "£" in words or before.endswith("£"):
        return "GBP"
    if "$" in words or before.endswith("$"):
        return "USD"  # a bare dollar sign in US and wire copy; the others are spelled out above
    return None


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


@dataclass
class Tally:
    spans: dict[str, Score]
    value_total: int = 0
    value_right: int = 0
    currency_total: int = 0
    currency_right: int = 0


def tally(docs: Sequence[OntoDocument], predicted: Sequence[Sequence[Predicted]], misses: Counter | None = None, false_hits: Counter | None = None) -> Tally:
    scores = {label: Score() for label in NUMERIC_LABELS}
    t = Tally(scores)
    for doc, figs in zip(docs, predicted):
        gold = doc.numeric()
        for span in gold:
            hits = [f for f in figs if f.start < span.end and span.start < f.end and span.label in labels_of(f)]
            if hits:
                scores[span.label].tp += 1
            else:
                scores[span.label].fn += 1
                if misses is not None:
                    misses[(span.label, doc.text[span.start : span.end])] += 1
            if span.label in ("MONEY", "PERCENT"):
                value = expected_value(span)
                if value is not None:
                    t.value_total += 1
                    right = [f for f in hits if any(v is not None and _close(v, value) for v in (f.value, f.value_max))]
                    t.value_right += bool(right)
                    currency = expected_currency(span, doc.text) if span.label == "MONEY" else None
                    if currency is not None:
                        t.currency_total += 1
                        t.currency_right += any(f.unit == currency for f in right)
                    elif misses is not None and not right:
                        misses[("value " + span.label, doc.text[span.start : span.end])] += 1
        for fig in figs:
            labels = labels_of(fig)
            if not labels:
                continue
            overlapping = [s for s in gold if fig.start < s.end and s.start < fig.end and s.label in labels]
            label = overlapping[0].label if overlapping else _blame(fig, labels)
            if overlapping:
                continue  # counted as found above; a figure is right once
            scores[label].fp += 1
            if false_hits is not None:
                false_hits[(fig.kind, doc.text[fig.start : fig.end])] += 1
    return t


def _blame(fig: Predicted, labels: set[str]) -> str:
    """The kind a wrong figure is charged to."""
    for label in ("MONEY", "PERCENT", "TIME", "QUANTITY", "ORDINAL", "DATE", "CARDINAL"):
        if label in labels:
            return label
    return "CARDINAL"


def _total(t: Tally) -> Score:
    s = Score()
    for score in t.spans.values():
        s.tp += score.tp
        s.fp += score.fp
        s.fn += score.fn
    return s


def record_figures(docs: Sequence[OntoDocument]) -> list[list[Predicted]]:
    out = []
    for doc, record in zip(docs, records_for([d.text for d in docs], as_body=True)):
        figures = []
        if record is not None:
            to_sent = offsets_in(doc.text, record.text or "")
            for f in record.figures:
                start, end = to_sent(f.start), to_sent(f.end)
                if start is not None and end is not None:
                    figures.append(Predicted(start, end, f.kind, f.value, f.value_max, f.unit))
        out.append(figures)
    return out


def offsets_in(sent: str, stored: str):
    """Offset in the stored text -> offset in the text sent (None inside text the cleaner
    changed): the cleaner may move a dateline or a date line out of the body."""
    if stored == sent:
        return lambda offset: offset
    import difflib

    blocks = difflib.SequenceMatcher(None, sent, stored, autojunk=False).get_matching_blocks()

    def to_sent(offset: int) -> int | None:
        for a, b, size in blocks:
            if b <= offset <= b + size and size:
                return a + offset - b
        return None

    return to_sent


def raw_figures(docs: Sequence[OntoDocument]) -> list[list[Predicted]]:
    return [
        [Predicted(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in NUMERIC_LABELS]
        for doc in raw_model_docs([d.text for d in docs])
    ]


def _print_block(name: str, rows: list[tuple[str, Tally]]) -> None:
    print(f"== {name}")
    header = f"{'':22}" + "".join(f"{label[:8]:>10}" for label in NUMERIC_LABELS) + f"{'all':>10}"
    print(f"{header}   (F1; P/R for all)")
    for row_name, t in rows:
        total = _total(t)
        cells = "".join(f"{t.spans[label].f1:10.3f}" for label in NUMERIC_LABELS)
        print(f"{row_name:22}{cells}{total.f1:10.3f}   P {total.precision:.3f} R {total.recall:.3f}")
    for row_name, t in rows:
        if t.value_total and t.value_right:
            value = t.value_right / t.value_total
            currency = t.currency_right / t.currency_total if t.currency_total else 0.0
            print(
                f"{row_name:22} money/percent values right {t.value_right}/{t.value_total} = {value:.3f};"
                f" value and currency right {t.currency_right}/{t.currency_total} = {currency:.3f}"
            )
        else:
            print(f"{row_name:22} money/percent values: none given")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ontonotes_file", type=Path, help="OntoNotes news in token/BIO form (#doc lines)")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N documents")
    parser.add_argument("--no-raw", action="store_true", help="skip the raw model's score")
    parser.add_argument("--errors", type=int, default=0, help="print the N most frequent misses and false hits (development half)")


def run(args: argparse.Namespace) -> int:
    path: Path = args.ontonotes_file
    if not path.is_file():
        print(f"eval-figures: no such file: {path}", file=sys.stderr)
        return 2
    docs = read_ontonotes(path)[: args.limit]
    started = time.perf_counter()
    ours = record_figures(docs)
    print(f"{path.name}: {len(docs)} documents, {sum(len(d.numeric()) for d in docs)} gold numeric spans;"
          f" pipeline {time.perf_counter() - started:.1f} s")
    raw = None if args.no_raw else raw_figures(docs)
    for name, indexes in halves(docs).items():
        subset = [docs[i] for i in indexes]
        rows = [("pipeline", tally(subset, [ours[i] for i in indexes]))]
        if raw is not None:
            rows.append(("raw model (NER only)", tally(subset, [raw[i] for i in indexes])))
        _print_block(f"{name}: {len(subset)} documents", rows)
    if args.errors:
        misses, false_hits = Counter(), Counter()
        dev = halves(docs)["development half"]
        tally([docs[i] for i in dev], [ours[i] for i in dev], misses, false_hits)
        print("most frequent misses:", misses.most_common(args.errors))
        print("most frequent false hits:", false_hits.most_common(args.errors))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="eval-figures", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
