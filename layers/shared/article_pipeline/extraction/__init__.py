"""Extraction: consolidated entities and normalised figures from cleaned articles.

Pure: functions over spaCy ``Doc``/``Span`` objects and the shared pydantic models; no AWS.

- ``entities/`` and ``figures/``: the two concerns, each a library of its own;
- the pipe that runs them: ``nlp`` (loading the model with our components),
  ``model_package`` (which model is installed; its tokenizer), ``sentences``,
  ``model_text`` (the text the model reads), ``extract`` (one ``nlp.pipe`` per batch into
  the models' ``Extraction``), ``_spacy_cli``.

    nlp = load_nlp(settings.spacy_models)           # once, at init
    results = extract_articles(nlp, articles)        # one nlp.pipe per batch
    for article, result in zip(articles, results):
        if isinstance(result, ArticleExtractionError):  # that article only
            ...
"""

from ._spacy_cli import defer as _defer_spacy_cli

_defer_spacy_cli()  # in a Lambda function: spaCy's command line is imported only if used

from .extract import ArticleExtractionError, ExtractionResult, extract_articles, split_paragraphs  # noqa: E402
from .model_package import ModelNotFoundError  # noqa: E402
from .nlp import load_nlp, model_info  # noqa: E402

__all__ = [
    "ArticleExtractionError",
    "ExtractionResult",
    "ModelNotFoundError",
    "extract_articles",
    "load_nlp",
    "model_info",
    "split_paragraphs",
]
