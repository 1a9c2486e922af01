"""Figures: every number of an article, with its value, unit, kind, qualifier and subject.

- ``rules``: :func:`~.rules.find_figures`, the figures the token rules find;
- ``numbers``, ``dates``, ``times``: the values behind the words ("3.5bn", "next Tuesday",
  "6 p.m.");
- ``evidence``: the rules' figures weighed against the NER's numeric spans;
- ``component``: the ``article_figures`` pipeline component, rules and evidence together;
- ``tagging``, ``subjects``: what a figure counts, from tags on a window around it.

May import: spaCy and one another, without a circle (``component`` on top); never the pipe
(``..extract``, ``..nlp``) nor ``..entities``.
"""
