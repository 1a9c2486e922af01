"""The text the model reads, made safe for spaCy's tokenizer, at the same length.

spaCy's tokenizer strips prefixes and suffixes from a word one at a time, copying the rest
each time: a "word" of n punctuation characters costs O(n^2) in C code that no signal can
interrupt. 4,000 ``$`` take 5 s; 500,000 never finish. No news word is long or made of
repeated symbols, so before the model reads a text:

- a run of one symbol repeated (``$$$$``, ``*****``, ``-----``) keeps its first
  :data:`KEPT_REPEATS` characters; the rest become spaces;
- a run of non-space characters longer than :data:`MAX_WORD_CHARS` (URLs, base64, hostile
  input) gets a space every :data:`MAX_WORD_CHARS` characters;
- a run of :data:`MAX_SYMBOL_RUN` or more symbols in a row keeps its first
  :data:`MAX_SYMBOL_RUN` and the rest become spaces: each symbol would be a token of its own
  for the NER to read.

Every change replaces a character by a space, so offsets in the model's text are offsets
in the original; figures and entity names are read back from the original.
"""

from __future__ import annotations

import re

KEPT_REPEATS = 3
MAX_WORD_CHARS = 48
MAX_SYMBOL_RUN = 8

_REPEATED_SYMBOL = re.compile(r"([^\w\s])\1{%d,}" % KEPT_REPEATS)
_SYMBOL_RUN = re.compile(r"[^\w\s]{%d,}" % (MAX_SYMBOL_RUN + 1))
_LONG_WORD = re.compile(r"\S{%d,}" % (MAX_WORD_CHARS + 1))
#: One search says whether anything needs doing (ordinary text: nothing).
_ANY = re.compile(rf"{_REPEATED_SYMBOL.pattern}|{_SYMBOL_RUN.pattern}|{_LONG_WORD.pattern}")


def _keep_head(keep: int):
    def replace(match: re.Match[str]) -> str:
        run = match.group()
        return run[:keep] + " " * (len(run) - keep)

    return replace


def _break_word(match: re.Match[str]) -> str:
    word = match.group()
    step = MAX_WORD_CHARS
    return " ".join(word[i : i + step - 1] for i in range(0, len(word), step))[: len(word)].ljust(len(word))


def tokenizer_safe(text: str) -> str:
    """``text`` with the same length, and no word the tokenizer would spend O(n^2) on."""
    if not _ANY.search(text):
        return text
    text = _REPEATED_SYMBOL.sub(_keep_head(KEPT_REPEATS), text)
    text = _SYMBOL_RUN.sub(_keep_head(MAX_SYMBOL_RUN), text)
    return _LONG_WORD.sub(_break_word, text)
