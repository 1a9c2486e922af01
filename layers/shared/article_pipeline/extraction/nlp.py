"""Loading the spaCy pipeline: the installed model, only the components used, and ours.

The pipeline, in order::

    ner -> article_sentences -> article_gazetteer -> article_figures -> article_entity_labels

``tok2vec``, ``tagger`` and ``attribute_ruler`` are loaded but disabled: they tag only the
words around each figure (:data:`TAG_PIPES`, see :mod:`.figures.tagging`, which applies
attribute_ruler's POS patterns as a lookup), to find what a figure counts.
``parser``, ``lemmatizer`` and ``senter`` are never used and are excluded (not loaded).
"""

from __future__ import annotations

from collections.abc import Sequence

import spacy
from spacy.language import Language

from .. import settings
from . import sentences  # noqa: F401  (registers the component)
from .entities import consolidation, ruler  # noqa: F401  (register the components)
from .entities.gazetteer import GazetteerConfig, load_gazetteer
from .figures import component  # noqa: F401  (registers the component)
from .figures.tagging import figure_tagger
from .model_package import EXCLUDED, TAG_PIPES, first_installed

#: Our components, in order after "ner".
OUR_PIPES = ("article_sentences", "article_gazetteer", "article_figures", "article_entity_labels")


def load_nlp(
    model_names: Sequence[str] = settings.DEFAULT_MODELS,
    *,
    gazetteer: GazetteerConfig = GazetteerConfig(),
    figure_subjects: bool = True,
) -> Language:
    """Load the first installed model of ``model_names`` and add the project's components.

    Never downloads. ``figure_subjects=False`` excludes the tagger too (no figure subjects).
    """
    name = first_installed(model_names)
    exclude = list(EXCLUDED) + ([] if figure_subjects else list(TAG_PIPES))
    nlp = spacy.load(name, exclude=exclude)
    for pipe in TAG_PIPES:
        if pipe in nlp.pipe_names:
            nlp.disable_pipe(pipe)
    gaz = load_gazetteer(gazetteer)
    nlp.add_pipe("article_sentences", after="ner")
    # entity_ruler's phrase matching with overwrite_ents off, without a Doc per pattern
    ruler = nlp.add_pipe("article_gazetteer_ruler", name="article_gazetteer", after="article_sentences")
    ruler.add_patterns(gaz.pattern_tokens(nlp))
    gaz.proper_forms()  # the casing repair's lookup, built now rather than on the first article
    # the figures read the model's numeric spans, which the entity labels then drop
    finder = nlp.add_pipe("article_figures", after="article_gazetteer")
    finder.currency_codes = gaz.currency_codes
    nlp.add_pipe(
        "article_entity_labels",
        after="article_figures",
        config={
            "ruler_min_population": gazetteer.ruler_min_population,
            "lookup_min_population": gazetteer.lookup_min_population,
            "alternate_min_population": gazetteer.alternate_min_population,
        },
    )
    figure_tagger(nlp)  # made once, here: the first batch pays nothing extra
    nlp.meta["article_pipeline"] = {
        "model_package": name,
        "gazetteer": gazetteer.__dict__,
        "vocab_size": len(nlp.vocab),  # what extract_articles' kept_words counts from
    }
    return nlp


def model_info(nlp: Language) -> tuple[str, str]:
    """(model name as ``lang_name``, e.g. "en_core_web_sm", model version)."""
    meta = nlp.meta
    name = f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}"
    return name, str(meta.get("version", ""))
