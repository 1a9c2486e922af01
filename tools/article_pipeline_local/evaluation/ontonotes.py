"""OntoNotes 5 news in token/BIO form (``#doc`` lines, ``token<TAB>tag``), as ordinary prose.

Each document's Penn Treebank tokens are joined back into the text a reader would see
(``-LRB-`` -> ``(``, quotes as ``"``, no space before ``,`` ``.`` ``%`` ``'s`` ``n't``, none
after ``$`` ``(``, a lone ``-`` joins its neighbours, ``#`` in the Wall Street Journal part is
``£``), one paragraph per sentence, and every gold span keeps its character offsets in that
text, so the pipeline is scored on what it would meet in an article.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: Penn Treebank bracket and quote tokens -> what was written.
_PTB = {"-LRB-": "(", "-RRB-": ")", "-LCB-": "{", "-RCB-": "}", "-LSB-": "[", "-RSB-": "]", "``": '"', "''": '"'}
#: Tokens written against the word before them.
_NO_SPACE_BEFORE = {",", ".", "%", ")", "]", "}", ":", ";", "?", "!", "'s", "'S", "n't", "N'T", "'re", "'ve", "'ll", "'d", "'m", "'"}
#: Tokens written against the word after them.
_NO_SPACE_AFTER = {"$", "(", "[", "{", "US$", "C$", "HK$", "NT$", "A$", "S$", "£"}

NUMERIC_LABELS = ("MONEY", "PERCENT", "DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY")
NAMED_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT", "LANGUAGE")


@dataclass(frozen=True)
class GoldSpan:
    label: str
    start: int  # character offsets in OntoDocument.text
    end: int
    tokens: tuple[str, ...]  # the source tokens, as written in the text


@dataclass
class OntoDocument:
    doc_id: str
    text: str = ""
    spans: list[GoldSpan] = field(default_factory=list)

    def named(self) -> list[tuple[str, str]]:
        """(name, label) of the named (non-numeric) gold spans."""
        return [(self.text[s.start : s.end], s.label) for s in self.spans if s.label in NAMED_LABELS]

    def numeric(self) -> list[GoldSpan]:
        return [s for s in self.spans if s.label in NUMERIC_LABELS]


def _surface(token: str, wsj: bool) -> str:
    if token == "#" and wsj:
        return "£"
    return _PTB.get(token, token)


def _join(sentence: list[tuple[str, str]], wsj: bool) -> tuple[str, list[tuple[int, int]]]:
    """A sentence's text and each token's (start, end) in it."""
    out: list[str] = []
    offsets: list[tuple[int, int]] = []
    length = 0
    glue = True  # no space before the next token
    open_quote = True  # a plain '"' alternates between opening and closing
    for token, _tag in sentence:
        text = _surface(token, wsj)
        before = not glue and token not in _NO_SPACE_BEFORE and text not in _NO_SPACE_BEFORE
        after_glue = token in _NO_SPACE_AFTER or text in _NO_SPACE_AFTER
        if token == "-":  # a lone hyphen joins its neighbours: "last - minute" -> "last-minute"
            before, after_glue = False, True
        elif text == '"':
            opening = token == "``" or (token == '"' and open_quote)
            if token == '"':
                open_quote = not open_quote
            if opening:
                after_glue = True
            else:
                before = False
        if before:
            out.append(" ")
            length += 1
        offsets.append((length, length + len(text)))
        out.append(text)
        length += len(text)
        glue = after_glue
    return "".join(out), offsets


def read_ontonotes(path: Path) -> list[OntoDocument]:
    """The documents of a token/BIO file, each with its text and gold spans."""
    documents: list[OntoDocument] = []
    sentences: list[list[tuple[str, str]]] = []
    doc_id = None

    def close() -> None:
        if doc_id is not None and sentences:
            documents.append(_document(doc_id, sentences))

    sentence: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#doc "):
            if sentence:
                sentences.append(sentence)
            close()
            doc_id, sentences, sentence = line.split()[1], [], []
            continue
        if not line.strip():
            if sentence:
                sentences.append(sentence)
            sentence = []
            continue
        token, _, tag = line.partition("\t")
        sentence.append((token, tag.strip() or "O"))
    if sentence:
        sentences.append(sentence)
    close()
    return documents


def _document(doc_id: str, sentences: list[list[tuple[str, str]]]) -> OntoDocument:
    wsj = "/wsj/" in doc_id
    doc = OntoDocument(doc_id)
    parts: list[str] = []
    base = 0
    for sentence in sentences:
        text, offsets = _join(sentence, wsj)
        current: tuple[str, int, list[int]] | None = None  # label, first token, tokens

        def close_span() -> None:
            if current is not None:
                label, _, idx = current
                doc.spans.append(
                    GoldSpan(label, base + offsets[idx[0]][0], base + offsets[idx[-1]][1], tuple(text[offsets[i][0] : offsets[i][1]] for i in idx))
                )

        for i, (_token, tag) in enumerate(sentence):
            prefix, _, label = tag.partition("-")
            if prefix == "B" or (prefix == "I" and (current is None or current[0] != label)):
                close_span()
                current = (label, i, [i])
            elif prefix == "I":
                current[2].append(i)
            else:
                close_span()
                current = None
        close_span()
        parts.append(text)
        base += len(text) + 2  # paragraphs are separated by a blank line
    doc.text = "\n\n".join(parts)
    return doc


def halves(documents: list[OntoDocument]) -> dict[str, list[int]]:
    """The documents split into a half to tune on (even positions) and a held-out half (odd)."""
    return {
        "development half": list(range(0, len(documents), 2)),
        "held-out half": list(range(1, len(documents), 2)),
        "full file": list(range(len(documents))),
    }
