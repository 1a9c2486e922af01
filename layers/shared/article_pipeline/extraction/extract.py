"""``extract_articles``: one ``nlp.pipe`` over a batch of cleaned articles.

Each article is read as its title and body (the title weighs in salience and gives its
own entities; offsets refer to the body). ALL-CAPS headlines and datelines are recased
first (same length, so offsets hold). Bodies longer than ``nlp.max_length`` are cut on
paragraph boundaries and the pieces put back together. A second, smaller pass tags only
the words around each figure, to find what it counts.

A failing article does not sink the batch: its slot in the result holds an
:class:`ArticleExtractionError` (a permanent :class:`~article_pipeline.errors.BadInputError`)
instead of an :class:`~article_pipeline.models.Extraction`.
"""

from __future__ import annotations

import contextlib
import logging
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..errors import BadInputError
from ..identity import entity_id
from ..models import CleanedArticle, Entity, Extraction, Figure, Mention
from ..watchdog import BUDGET_ERRORS, Budget, Deadline, MemoryBudget, OutOfTime
from .entities.casing import repair_casing
from .entities.consolidation import EntityMention, consolidate, mentions_from_spans
from .entities.gazetteer import Gazetteer, GazetteerConfig, load_gazetteer
from .figures import dates
from .figures.rules import FigureMatch
from .figures.subjects import CONTEXT_LEFT, CONTEXT_RIGHT, subject_of
from .model_text import tokenizer_safe
from .figures.tagging import SpanCopier, figure_tagger

log = logging.getLogger(__name__)

SUPPORTED_LANGUAGES = ("en",)
#: Removed text read with the title (entities count, no offsets): datelines.
HEADER_KINDS = frozenset({"date", "dateline"})
#: Figure kinds whose subject (what is counted) is looked up in the tags around them.
COUNTED_KINDS = frozenset({"cardinal", "percent", "money", "quantity", "duration"})


class ArticleExtractionError(BadInputError):
    """Extraction failed for one article of a batch (``index`` in the batch)."""

    def __init__(self, index: int, cause: BaseException) -> None:
        # a permanent error keeps its own kind ("too_slow", "too_large")
        kind = cause.kind if isinstance(cause, BadInputError) else "extraction_failed"
        super().__init__(kind, f"article {index}: {type(cause).__name__}: {cause}")
        self.index = index
        self.__cause__ = cause


ExtractionResult = Extraction | ArticleExtractionError


@dataclass
class _Chunk:
    article: int
    text: str  # what the model reads (recased)
    original: str  # the same characters as written
    body_offset: int  # where the body starts inside the chunk
    body_start: int  # where the chunk's body part starts inside the article body


@dataclass
class _Work:
    article: CleanedArticle
    chunks: list[_Chunk] = field(default_factory=list)
    docs: list[Doc] = field(default_factory=list)
    error: BaseException | None = None
    warnings: list[str] = field(default_factory=list)


@lru_cache(maxsize=4)
def _proper_forms(config: GazetteerConfig) -> dict[str, str]:
    return load_gazetteer(config).proper_forms()


def _gazetteer_config(nlp: Language) -> GazetteerConfig:
    meta = nlp.meta.get("article_pipeline", {}).get("gazetteer")
    return GazetteerConfig(**meta) if meta else GazetteerConfig()


def split_paragraphs(text: str, max_length: int) -> list[tuple[int, str]]:
    """Pieces of ``text`` no longer than ``max_length``, cut at paragraph breaks
    (then line breaks, then spaces when a paragraph alone is too long): (offset, piece)."""
    if len(text) <= max_length:
        return [(0, text)]
    pieces: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(start + max_length, len(text))
        if end < len(text):
            for sep in ("\n\n", "\n", ". ", " "):
                cut = text.rfind(sep, start + 1, end)
                if cut > start:
                    end = cut + len(sep)
                    break
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def _prepare(index: int, article: CleanedArticle, nlp: Language, config: GazetteerConfig) -> _Work:
    work = _Work(article)
    title = (article.title or "").strip()
    # a dateline the cleaner moved out of the body ("LONDON 1996-08-30") still names a place
    header = [title, *(r.text.strip() for r in article.removed if r.kind in HEADER_KINDS)]
    head = "".join(f"{h}\n\n" for h in header if h)
    full = head + article.text
    repaired = tokenizer_safe(repair_casing(full, _proper_forms(config)))
    body_repaired = repaired[len(head) :]
    limit = max(min(nlp.max_length, PIECE_CHARS) - len(head) - 1, 1)
    for n, (offset, piece) in enumerate(split_paragraphs(article.text, limit)):
        fixed = body_repaired[offset : offset + len(piece)]
        prefix, prefix_fixed = (head, repaired[: len(head)]) if n == 0 else ("", "")
        work.chunks.append(
            _Chunk(index, prefix_fixed + fixed, prefix + piece, len(prefix), offset)
        )
    if len(article.text) > nlp.max_length:
        work.warnings.append(f"text longer than {nlp.max_length} characters: read in {len(work.chunks)} pieces")
    return work


def _minibatches(chunks: list[_Chunk], batch_size: int) -> Iterator[list[_Chunk]]:
    """Consecutive runs of at most ``batch_size`` chunks and :data:`PIECE_CHARS` characters
    (or one chunk): the NER's working memory grows with the text it reads at once."""
    batch: list[_Chunk] = []
    chars = 0
    for chunk in chunks:
        if batch and (len(batch) >= batch_size or chars + len(chunk.text) > PIECE_CHARS):
            yield batch
            batch, chars = [], 0
        batch.append(chunk)
        chars += len(chunk.text)
    if batch:
        yield batch


def _pipe_isolated(nlp: Language, chunks: list[_Chunk], batch_size: int) -> Iterator[tuple[_Chunk, Doc | BaseException]]:
    """Docs for the chunks, read in minibatches; on a failure, the rest of the minibatch is
    retried one by one to find the culprit.

    A budget running out is not a failure of the text: it stops the pipe at once."""
    for batch in _minibatches(chunks, batch_size):
        done = 0
        try:
            for doc in nlp.pipe((c.text for c in batch), batch_size=len(batch)):
                yield batch[done], doc
                done += 1
        except BUDGET_ERRORS:
            raise
        except Exception:  # noqa: BLE001 - isolate the failing text below
            for chunk in batch[done:]:
                try:
                    yield chunk, nlp(chunk.text)
                except BUDGET_ERRORS:
                    raise
                except Exception as exc:  # noqa: BLE001
                    yield chunk, exc


#: New words the vocabulary keeps for good (about 25 MB of lexemes and strings): the first
#: a container meets, mostly the common ones. Past that, each batch runs in a memory zone.
KEPT_WORDS = 50_000
#: The most characters the model reads at once: between pieces the article's budget is
#: checked, and one piece's Doc is what memory holds of it at a time.
PIECE_CHARS = 100_000
#: Articles up to this size share one ``nlp.pipe``; larger ones are read alone, after them.
SMALL_ARTICLE_CHARS = 50_000
#: The time a shared pipe may take before its articles are read again one by one, each
#: under its own budget. Generous (ordinary news reads at some 80,000 characters a second
#: on one core): running out only costs the isolated second pass.
GROUP_FLOOR_SECONDS = 10.0
GROUP_CHARS_PER_SECOND = 10_000


def extract_articles(
    nlp: Language,
    articles: Sequence[CleanedArticle],
    *,
    batch_size: int = 32,
    kept_words: int = KEPT_WORDS,
    deadline: Deadline | None = None,
) -> list[ExtractionResult]:
    """Entities and figures for each article, in order.

    Each result is an :class:`Extraction`, or an :class:`ArticleExtractionError` for an
    article that could not be read (``isinstance(result, Exception)``); the others are
    unaffected. Articles in a language other than English get an empty extraction with a
    warning.

    With a ``deadline`` (the invocation's), every article runs under a budget (see
    :mod:`article_pipeline.watchdog`): the small ones share one pipe, then the large ones
    are read alone, smallest first. An article that outruns its own budget gets an error
    of kind ``too_slow``; one left without time by the rest of the batch gets
    :class:`~article_pipeline.watchdog.OutOfTime` (retried on the next delivery).

    A warm container's memory stays bounded: once the vocabulary holds ``kept_words`` more
    words than the model brought, each batch runs inside ``nlp.memory_zone()``, which frees
    the words the batch added (nothing spaCy made outlives the call: the results are plain
    models). Until then the words stay: a zone for every batch would make the common words
    again each time, some 4% of the NER time.
    """
    base = nlp.meta.get("article_pipeline", {}).get("vocab_size", 0)
    full = len(nlp.vocab) - base >= kept_words
    zone = nlp.memory_zone() if full and hasattr(nlp, "memory_zone") else contextlib.nullcontext()
    with zone:
        return _extract_articles(nlp, articles, batch_size, deadline)


def _extract_articles(
    nlp: Language, articles: Sequence[CleanedArticle], batch_size: int, deadline: Deadline | None
) -> list[ExtractionResult]:
    config = _gazetteer_config(nlp)
    gaz = load_gazetteer(config)
    works: list[_Work] = []
    results: list[ExtractionResult | BaseException | None] = []
    for i, article in enumerate(articles):
        lang = (article.language or "").lower().split("-")[0]
        if lang and lang not in SUPPORTED_LANGUAGES:
            work = _Work(article, warnings=[f"language {article.language!r} is not supported: no entities or figures extracted"])
        else:
            try:
                work = _prepare(i, article, nlp, config)
            except Exception as exc:  # noqa: BLE001
                work = _Work(article, error=exc)
        works.append(work)
        results.append(ArticleExtractionError(i, work.error) if work.error is not None else None)

    ready = [i for i, result in enumerate(results) if result is None]
    small = [i for i in ready if len(works[i].article.text) <= SMALL_ARTICLE_CHARS]
    large = sorted(set(ready) - set(small), key=lambda i: len(works[i].article.text))
    shared = None
    if deadline is not None and small:
        chars = sum(len(works[i].article.text) for i in small)
        budget = deadline.budget()
        # at most half an article's share: a hostile one still finds its own share after it
        shared = budget.capped(min(budget.seconds / 2, GROUP_FLOOR_SECONDS + chars / GROUP_CHARS_PER_SECOND))
    alone = _read_group(nlp, works, small, results, gaz, batch_size, shared)
    for i in [*alone, *large]:
        _read_group(nlp, works, [i], results, gaz, batch_size, deadline.budget() if deadline else None)
    for i, result in enumerate(results):
        if isinstance(result, ArticleExtractionError):
            log.warning("extraction failed for article %d: %s", i, result.message)
    return results  # type: ignore[return-value]  # every slot is filled


def _read_group(
    nlp: Language,
    works: list[_Work],
    indices: list[int],
    results: list,
    gaz: Gazetteer,
    batch_size: int,
    budget: Budget | None,
) -> list[int]:
    """Read the articles ``indices`` into ``results`` under ``budget``.

    When the budget runs out, a group returns the articles it did not finish, to be read
    alone; a single article gets its error in ``results``."""
    if not indices:
        return []
    try:
        with budget.enforced() if budget is not None else contextlib.nullcontext():
            _read(nlp, [(i, works[i]) for i in indices], results, gaz, batch_size, budget)
    except BUDGET_ERRORS as exc:
        unfinished = [i for i in indices if results[i] is None]
        for i in unfinished:
            works[i].docs.clear()
        if len(indices) > 1:
            return unfinished
        for i in unfinished:
            results[i] = exc if isinstance(exc, OutOfTime) else ArticleExtractionError(i, exc)
    return []


def _read(nlp: Language, group: list[tuple[int, _Work]], results: list, gaz: Gazetteer, batch_size: int, budget: Budget | None) -> None:
    by_index = dict(group)
    chunks = [chunk for _, work in group for chunk in work.chunks]
    memory = MemoryBudget.start()
    for chunk, doc in _pipe_isolated(nlp, chunks, batch_size):
        if budget is not None:
            budget.check()
        if memory is not None:
            memory.check()
        work = by_index[chunk.article]
        if isinstance(doc, BaseException):
            work.error = work.error or doc
        else:
            work.docs.append(doc)

    pending: list[tuple[int, list[tuple[_Chunk, Doc, FigureMatch]]]] = []
    extractions: dict[int, Extraction] = {}
    for i, work in group:
        if work.error is not None:
            results[i] = ArticleExtractionError(i, work.error)
            continue
        try:
            extractions[i] = _entities(work, gaz)
            items = [(c, d, f) for c, d in zip(work.chunks, work.docs) for f in (d._.figures or []) if d[f.start].idx >= c.body_offset]
            pending.append((i, _kept_figures(items, extractions[i].warnings)))
        except BUDGET_ERRORS:
            raise
        except Exception as exc:  # noqa: BLE001
            results[i] = ArticleExtractionError(i, exc)
    subjects = _subjects(nlp, [item for _, items in pending for item in items], batch_size)
    for i, items in pending:
        extraction = extractions[i]
        try:
            published = dates.parse_published(by_index[i].article.published)
            sentences = _SentenceCap()
            extraction.figures = [_figure(c, d, f, published, subjects.get((id(d), f.start)), sentences) for c, d, f in items]
            extraction.warnings.extend(sentences.warnings())
            results[i] = extraction
        except BUDGET_ERRORS:
            raise
        except Exception as exc:  # noqa: BLE001
            results[i] = ArticleExtractionError(i, exc)


def _entities(work: _Work, gaz: Gazetteer) -> Extraction:
    mentions: list[EntityMention] = []
    body = work.article.text
    lead_end = body.find("\n\n")
    lead_end = len(body) if lead_end < 0 else lead_end
    for chunk, doc in zip(work.chunks, work.docs):
        for m in mentions_from_spans(doc.ents, body_offset=chunk.body_offset, lead_end=lead_end - chunk.body_start):
            if m.start is not None:
                m.start += chunk.body_start
                m.end += chunk.body_start
                m.in_lead = m.start < lead_end
            mentions.append(m)
    groups = consolidate(mentions, gaz)
    warnings = list(work.warnings)
    if len(groups) > MAX_ENTITIES:
        warnings.append(f"kept the {MAX_ENTITIES} most salient of {len(groups)} entities")
        groups = groups[:MAX_ENTITIES]
    if any(len(g.mentions) > MAX_MENTIONS for g in groups):
        warnings.append(f"listed the first {MAX_MENTIONS} mentions of an entity at most (its count is whole)")
    entities = [
        Entity(
            id=entity_id(g.name, g.label, _place_id(g, gaz)),
            name=g.name,
            label=g.label,
            count=g.count,
            aliases=g.aliases,
            mentions=[Mention(start=s, end=e) for s, e in g.mentions[:MAX_MENTIONS]],
            salience=g.salience,
        )
        for g in groups
    ]
    return Extraction(entities=entities, warnings=warnings)


#: Labels whose names get a place's public id from the gazetteer.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def _place_id(group, gaz: Gazetteer) -> str | None:
    """The public id of the place an entity names: by its name, else by an alias ("U.S." in
    a record named "Washington" stays Washington's). A country named as an organisation
    ("Britain said") is the country too."""
    if group.label in PLACE_LABELS:
        for name in (group.name, *group.aliases):
            if place := gaz.place_id(name):
                return place
    elif group.label == "ORG" and group.name in gaz.countries:
        return gaz.place_id(group.name)
    return None


def sentence_of(doc: Doc, token: int) -> Span:
    """The sentence holding ``doc[token]``.

    ``Token.sent`` walks the doc to find the boundaries each time it is asked, which is
    quadratic over a long article's figures; the boundaries are listed once per doc here.
    """
    starts = doc.user_data.get("_sentence_starts")
    if starts is None:
        starts = doc.user_data["_sentence_starts"] = [sent.start for sent in doc.sents]
    index = bisect_right(starts, token) - 1
    end = starts[index + 1] if index + 1 < len(starts) else len(doc)
    return doc[starts[index] : end]


def _subjects(nlp: Language, items, batch_size: int) -> dict[tuple[int, int], str]:
    """Tag only the words around countable figures; subject per (doc, token).

    Each figure's window runs from ``CONTEXT_LEFT`` tokens before it to ``CONTEXT_RIGHT``
    after it, within its sentence; windows that overlap are tagged as one.
    """
    tag = figure_tagger(nlp)
    if tag is None:
        return {}
    windows: list[list] = []  # [doc, sentence start, start, end]
    wanted: list[tuple[tuple[int, int], int, FigureMatch]] = []
    for _chunk, doc, fig in items:  # left to right within each doc
        if fig.kind not in COUNTED_KINDS or fig.head is None:
            continue
        sent = sentence_of(doc, fig.head)
        start, end = max(sent.start, fig.start - CONTEXT_LEFT), min(sent.end, fig.end + CONTEXT_RIGHT)
        last = windows[-1] if windows else None
        if last is not None and last[0] is doc and last[1] == sent.start and start <= last[3]:
            last[3] = max(last[3], end)
        else:
            windows.append([doc, sent.start, start, end])
        wanted.append(((id(doc), fig.start), len(windows) - 1, fig))
    if not windows:
        return {}
    copy = SpanCopier()  # span.as_doc() for the tagger, in time linear in the span
    # disabled in the main pipe: run here, on these windows only
    tagged = tag([copy(doc[start:end]) for doc, _, start, end in windows], batch_size)
    out: dict[tuple[int, int], str] = {}
    for fig_key, window, fig in wanted:
        offset = windows[window][2]
        subject = subject_of(tagged[window], fig.start - offset, fig.end - offset)
        if subject:
            out[fig_key] = subject
    return out


#: Entities kept per article (the most salient), and mention offsets listed per entity.
MAX_ENTITIES = 20_000
MAX_MENTIONS = 10_000
#: Figures kept per article (in text order); a text of nothing but numbers stops here.
MAX_FIGURES = 10_000
#: What a figure carries of its sentence, at most: a "sentence" with no full stop can be
#: a whole text, and each figure would carry a copy of it.
FIGURE_SENTENCE_CHARS = 400


def _kept_figures(items: list, warnings: list[str]) -> list:
    if len(items) > MAX_FIGURES:
        warnings.append(f"kept the first {MAX_FIGURES} of {len(items)} figures")
        return items[:MAX_FIGURES]
    return items


class _SentenceCap:
    """Cuts a figure's sentence to :data:`FIGURE_SENTENCE_CHARS` around the figure."""

    def __init__(self) -> None:
        self.cut = 0

    def __call__(self, text: str, sent_start: int, sent_end: int, start: int, end: int) -> str:
        if sent_end - sent_start <= FIGURE_SENTENCE_CHARS:
            return text[sent_start:sent_end].strip()
        self.cut += 1
        room = max(FIGURE_SENTENCE_CHARS - (end - start), 0) // 2
        left, right = max(sent_start, start - room), min(sent_end, end + room)
        # whole words only: cut at the first space inside the window on each side
        if left > sent_start:
            space = text.find(" ", left, start)
            left = space + 1 if space >= 0 else left
        if right < sent_end:
            space = text.rfind(" ", end, right)
            right = space if space >= 0 else right
        return ("… " if left > sent_start else "") + text[left:right].strip() + (" …" if right < sent_end else "")

    def warnings(self) -> list[str]:
        if not self.cut:
            return []
        return [f"{self.cut} figure sentences longer than {FIGURE_SENTENCE_CHARS} characters were cut around the figure"]


def _figure(chunk: _Chunk, doc: Doc, fig: FigureMatch, published, subject: str | None, sentence_of_figure: _SentenceCap) -> Figure:
    span = doc[fig.start : fig.end]
    start = span.start_char - chunk.body_offset + chunk.body_start
    end = span.end_char - chunk.body_offset + chunk.body_start
    sent = sentence_of(doc, fig.start)
    sentence = sentence_of_figure(chunk.original, sent.start_char, sent.end_char, span.start_char, span.end_char)
    text = chunk.original[span.start_char : span.end_char]
    kind, value, unit = fig.kind, fig.value, fig.unit
    if fig.date is not None:
        kind, value, unit = dates.resolve(fig.date, published)
    if kind == "cardinal" and subject and unit is None:
        unit = subject.split()[-1]
    return Figure(
        text=text,
        value=value,
        value_max=fig.value_max,
        unit=unit,
        kind=kind,
        qualifier=fig.qualifier,
        subject=subject,
        sentence=sentence,
        start=start,
        end=end,
    )
