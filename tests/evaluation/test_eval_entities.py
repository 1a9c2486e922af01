import argparse

from article_pipeline_local.evaluation import eval_entities as ev

CONLL = """-DOCSTART- -X- O O

SOCCER NN I-NP O
- : O O
JAPAN NNP I-NP I-LOC
WIN VB I-VP O

TOKYO NNP I-NP I-LOC
1996-12-06 CD I-NP O

Japan NNP I-NP I-LOC
beat VBD I-VP O
the DT I-NP O
United NNP I-NP I-ORG
Nations NNP I-NP I-ORG
's POS B-NP O
team NN I-NP O
. . O O

-DOCSTART- -X- O O

Kerry NNP I-NP I-PER
spoke VBD I-VP O
. . O O
"""


def test_read_conll_and_layout(tmp_path):
    path = tmp_path / "mini.conll"
    path.write_text(CONLL)
    docs = ev.read_conll(path)
    assert len(docs) == 2
    assert docs[0].text == "SOCCER - JAPAN WIN\n\nTOKYO 1996-12-06\nJapan beat the United Nations 's team ."
    assert docs[0].raw_text.count("\n") == 2
    assert docs[0].entities == [("JAPAN", "LOC"), ("TOKYO", "LOC"), ("Japan", "LOC"), ("United Nations", "ORG")]


def test_scoring_maps_labels_and_normalises_names():
    gold = [ev.to_pairs([("JAPAN", "LOC"), ("United Nations", "ORG")], None)]
    pred = [ev.to_pairs([("Japan", "GPE"), ("the United Nations's", "ORG"), ("1996", "DATE"), ("Tokyo", "GPE")], ev.LABEL_MAP)]
    s = ev.score(gold, pred)
    assert (s.tp, s.fp, s.fn) == (2, 1, 0)
    assert round(s.f1, 3) == 0.8


def test_run_prints_both_scores(tmp_path, capsys, nlp):
    path = tmp_path / "mini.conll"
    path.write_text(CONLL)
    parser = argparse.ArgumentParser()
    ev.add_arguments(parser)
    assert ev.run(parser.parse_args([str(path)])) == 0
    out = capsys.readouterr().out
    assert "pipeline" in out and "raw model" in out
    assert ev.run(parser.parse_args([str(tmp_path / "missing")])) == 2
