"""Casing repair for ALL-CAPS headlines and datelines.

The statistical NER reads case: "CRICKET - LEICESTERSHIRE TAKE OVER AT TOP" or a dateline
"LONDON 1996-08-30" defeat it. :func:`repair_casing` rewrites only such shouted runs,
choosing each word's casing from evidence, in order: the same word written in ordinary
text elsewhere in the article, a gazetteer's proper form, then lower case (first word of
a line capitalised). The result has exactly the length of the input, character for
character, so offsets found in the repaired text are offsets in the original.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from spacy.lang.en.stop_words import STOP_WORDS

_WORD = re.compile(r"[^\W\d_]+(?:['’.][^\W\d_]+)*\.?", re.UNICODE)
_LINE = re.compile(r"[^\n]+")
#: A dateline: one to four capitalised words opening a paragraph, then "," "(" or a dash.
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,3})(?=\s*(?:,|\(|-|–|—|\d))"
)
SENTENCE_END_CHARS = frozenset('.!?:"“”')
#: Two capitals in one word ("AB", "U.S"): a shouted line has one, most lines have none.
_CAPITALS = re.compile(r"[^\W\d_a-z]['’.]?[^\W\d_a-z]")


def _is_shouted(word: str) -> bool:
    if not word.isupper():  # in C: most words end here
        return False
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def is_shouted_line(line: str, min_words: int = 2, ratio: float = 0.8) -> bool:
    """A line whose cased words are (almost) all upper case."""
    if not _CAPITALS.search(line):
        return False
    words = [w for w in _WORD.findall(line) if len(w) >= 2 and (w.isalpha() or sum(c.isalpha() for c in w) >= 2)]
    if len(words) < min_words:
        return False
    shouted = sum(1 for w in words if _is_shouted(w))
    return shouted / len(words) >= ratio


def _opens_sentence(line: str, start: int) -> bool:
    """Whether the word at ``start`` follows sentence-ending punctuation (or opens the line).

    Looks back over the whitespace only, so a long unbroken line stays linear.
    """
    if start == 0:
        return True
    i = start - 1
    while i >= 0 and line[i].isspace():
        i -= 1
    return i >= 0 and line[i] in SENTENCE_END_CHARS


def casing_evidence(text: str) -> dict[str, Counter[str]]:
    """Forms each word takes where the text is not shouting and not opening a sentence."""
    evidence: dict[str, Counter[str]] = {}
    initial: dict[str, Counter[str]] = {}
    for line_match in _LINE.finditer(text):
        line = line_match.group()
        if is_shouted_line(line, min_words=1):
            continue
        dateline = _DATELINE.match(line)
        skip_until = dateline.end() if dateline else 0
        for match in _WORD.finditer(line, skip_until):
            word = match.group()
            at_start = _opens_sentence(line, match.start())
            if at_start and not _is_shouted(word):
                initial.setdefault(word.lower(), Counter())[word] += 1
                continue
            evidence.setdefault(word.lower(), Counter())[word] += 1
    # a word seen only opening sentences: its capital is weak evidence, but the only one
    for lower, forms in initial.items():
        if lower not in evidence and lower not in STOP_WORDS:
            evidence[lower] = forms
    return evidence


def _same_length_case(source: str, form: str) -> str:
    """Apply ``form``'s casing to ``source`` letter by letter (never changing length)."""
    if len(form) != len(source):
        return source
    out = []
    for s, f in zip(source, form):
        repl = s.upper() if f.isupper() else s.lower()
        out.append(repl if len(repl) == 1 else s)
    return "".join(out)


def _capitalize(word: str) -> str:
    return _same_length_case(word, word[:1].upper() + word[1:].lower())


def recase_word(
    word: str,
    evidence: Mapping[str, Counter[str]],
    proper_forms: Mapping[str, str],
    *,
    first: bool,
    proper: bool = False,
) -> str:
    """Casing for one shouted word; ``proper`` when the word is known to be a name part."""
    lower = word.lower()
    forms = evidence.get(lower)
    if forms:
        form = forms.most_common(1)[0][0]
        if form == lower and first:
            return _capitalize(word)
        return _same_length_case(word, form)
    if "-" in word:
        parts = word.split("-")
        return "-".join(
            recase_word(p, evidence, proper_forms, first=first and i == 0, proper=proper) if p else p
            for i, p in enumerate(parts)
        )
    if lower in proper_forms:
        return _same_length_case(word, proper_forms[lower])
    if first or (proper and lower not in STOP_WORDS):
        return _capitalize(word)
    if lower in STOP_WORDS or len(lower) > 3 or any(c in "aeiou" for c in lower):
        return _same_length_case(word, lower)
    return word  # short, no vowel: an acronym ("BBC", "NHS")


def _recase_span(
    text: str, start: int, end: int, evidence, proper_forms, chars: list[str], *, proper=False
) -> None:
    first = True
    for match in _WORD.finditer(text, start, end):
        word = match.group()
        if _is_shouted(word):
            new = recase_word(word, evidence, proper_forms, first=first, proper=proper)
            chars[match.start() : match.end()] = list(new)
        first = False


def repair_casing(
    text: str, proper_forms: Mapping[str, str] | None = None, *, reference: str | None = None
) -> str:
    """Return ``text`` with shouted lines and datelines recased; same length as ``text``.

    ``reference`` (default: ``text``) is where ordinary casing is learned from, e.g. the
    title and body together.
    """
    proper_forms = proper_forms or {}
    candidates = []  # (line, shouted, dateline): most texts have none, and need no evidence
    for line_match in _LINE.finditer(text):
        line = line_match.group()
        shouted = is_shouted_line(line, min_words=1)
        dateline = _DATELINE.match(line)
        if shouted or dateline:
            candidates.append((line_match, shouted, dateline))
    if not candidates:
        return text
    evidence = casing_evidence(text if reference is None else reference)
    chars = list(text)
    for line_match, shouted, dateline in candidates:
        if shouted and not _all_acronyms(line_match.group(), evidence):
            _recase_span(text, line_match.start(), line_match.end(), evidence, proper_forms, chars)
            continue
        if dateline and not _all_acronyms(dateline.group(), evidence):
            s = line_match.start()
            _recase_span(
                text, s, s + dateline.end(), evidence, proper_forms, chars, proper=True
            )
    return "".join(chars)


def _all_acronyms(line: str, evidence: Mapping[str, Counter[str]]) -> bool:
    """True when every shouted word is written upper case in ordinary text too (BBC, NATO)."""
    words = [w for w in _WORD.findall(line) if _is_shouted(w)]
    return bool(words) and all(
        (forms := evidence.get(w.lower())) and forms.most_common(1)[0][0].isupper() for w in words
    )
