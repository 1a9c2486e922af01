"""Developer helpers that regenerate checked-in files.

- ``schema``: the record's JSON Schema from the models (``make schema``);
- ``sample_events``: ``events/*.json`` from a local run (``make events``).

May import: ``article_pipeline`` and ``..emulation``.
"""
