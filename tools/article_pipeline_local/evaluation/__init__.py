"""Scoring against labelled data: cleaning, entities and figures, through the whole chain.

- ``eval_clean``: cleaning against a labelled benchmark folder (Zyte bodies, or trafilatura's set);
- ``eval_trafilatura``: cleaning on trafilatura's with/without segments, beside trafilatura;
- ``eval_entities``: entities against CoNLL-2003 or OntoNotes news, beside the raw model;
- ``eval_figures``: figures against OntoNotes news, beside the raw model;
- ``ontonotes``: the OntoNotes token/BIO reader.

May import: ``article_pipeline``, ``..emulation`` and one another.
"""
