"""Which spaCy model package is installed, and its tokenizer alone.

Below both the pipeline (:mod:`.nlp`) and the gazetteer build (:mod:`.entities.gazetteer`,
which tokenizes its names as the model does), so neither imports the other.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence

import spacy
from spacy.language import Language

from .. import settings

#: Components of the model package never used: not loaded at all.
EXCLUDED = ("parser", "lemmatizer", "senter")
#: Components loaded but run only on the words around figures.
TAG_PIPES = ("tok2vec", "tagger", "attribute_ruler")


class ModelNotFoundError(RuntimeError):
    """None of the configured spaCy model packages is installed."""


def is_installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def first_installed(model_names: Sequence[str]) -> str:
    tried = list(model_names)
    name = next((n for n in tried if is_installed(n)), None)
    if name is None:
        raise ModelNotFoundError(
            f"no spaCy model package installed; tried {', '.join(tried) or '(none)'}"
        )
    return name


def load_tokenizer(model_names: Sequence[str] | None = None) -> Language:
    """The first installed model with no components: its tokenizer and meta only."""
    name = first_installed(model_names or settings.DEFAULT_MODELS)
    nlp = spacy.load(name, exclude=[*EXCLUDED, *TAG_PIPES, "ner"])
    for pipe in list(nlp.component_names):
        nlp.remove_pipe(pipe)
    return nlp
