"""Entities: which names an article mentions, with their labels corrected and merged.

- ``consolidation``: the ``article_entity_labels`` component (label correction with the
  gazetteer's evidence) and :func:`~.consolidation.consolidate` (one row per real-world name);
- ``gazetteer``: the places, given names and currencies from the installed data packages,
  precomputed at build time;
- ``ruler``: the ``article_gazetteer_ruler`` component, phrase matching of the gazetteer;
- ``casing``: an all-caps or all-lowercase text repaired before the model reads it.

May import: spaCy, the data packages, one another and ``..model_package``; never the
pipe (``..extract``, ``..nlp``) nor ``..figures``.
"""
