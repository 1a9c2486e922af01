"""eval-search's scoring rules, on made-up documents (never lines of the evaluation data)."""

from __future__ import annotations

from article_pipeline_local.evaluation.eval_search import (
    PERSON, PLACE, Document, Mention, macro, pairs_to_ask, score_pairs, split_sentences,
)

TEAM = "Q99"  # an organisation


def doc(*mentions: tuple[str, str, str, str]) -> Document:
    return Document("x", [Mention(surface, qid, name, [kind]) for surface, qid, name, kind in mentions])


def archive() -> list[Document]:
    return [
        doc(("Ada Quist", "Q1", "Ada Quist", PERSON), ("RURITANIA", "Q2", "Ruritania", PLACE)),
        doc(("Quist", "Q1", "Ada Quist", PERSON), ("Ruritanian", "Q2", "Ruritania", PLACE), ("Strelsau", "Q3", "Strelsau", PLACE)),
        doc(("Ruritania", "Q2", "Ruritania", PLACE), ("Ruritania", "Q4", "Ruritania national football team", TEAM)),
        doc(("Ruritania", "Q4", "Ruritania national football team", TEAM), ("Ruritania", "Q2", "Ruritania", PLACE)),
        doc(("Strelsau", "Q3", "Strelsau", PLACE), ("Zenda", "Q5", "Zenda", PLACE)),
        doc(("Strelsau", "Q3", "Strelsau", PLACE), ("Bo Lind", "Q6", "Bo Lind", PERSON)),
        doc(("Ruritania", "Q4", "Ruritania national football team", TEAM)),
    ]


def test_the_pairs_asked_follow_the_rules():
    pairs = {(p.qid, p.name): p for p in pairs_to_ask(archive())}
    # a person of two documents, by each name; either name wants every document of a kept name
    assert pairs[("Q1", "Ada Quist")].wanted == {0, 1} and pairs[("Q1", "Quist")].wanted == {0, 1}
    # a place: not by its capitals ("RURITANIA"), its adjective ("Ruritanian"), nor a name that
    # is another entity's most frequent one (the team's "Ruritania"): no name of it is kept
    assert not any(qid == "Q2" for qid, _ in pairs)
    # a national team is not asked
    assert not any(qid == "Q4" for qid, _ in pairs)
    # an entity of one document is not asked
    assert not any(qid in ("Q5", "Q6") for qid, _ in pairs)
    assert pairs[("Q3", "Strelsau")].wanted == {1, 4, 5} and pairs[("Q3", "Strelsau")].accepted == {1, 4, 5}


def test_recall_and_precision_per_pair_and_their_macro_average():
    pairs = pairs_to_ask(archive())
    answers = {"Ada Quist": [0, 1], "Quist": [1, 2], "Strelsau": []}
    scores = {(s.pair.qid, s.pair.name): s for s in score_pairs(pairs, lambda name: answers[name])}
    assert scores[("Q1", "Ada Quist")].recall == 1 and scores[("Q1", "Ada Quist")].precision == 1
    assert scores[("Q1", "Quist")].recall == 0.5 and scores[("Q1", "Quist")].precision == 0.5
    assert scores[("Q3", "Strelsau")].recall == 0 and scores[("Q3", "Strelsau")].precision == 1  # nothing found
    assert macro(list(scores.values())) == (1.5 / 3, 2.5 / 3)


def test_sentences_of_space_joined_tokens():
    assert split_sentences("A storm hit . Roads closed ! Why ? And then") == ["A storm hit .", "Roads closed !", "Why ?", "And then"]
