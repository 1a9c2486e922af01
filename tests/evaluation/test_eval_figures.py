from article_pipeline_local.evaluation import eval_figures as ef
from article_pipeline_local.evaluation.ontonotes import read_ontonotes

#: A made-up document in the OntoNotes token/BIO layout (written for this test, not taken from
#: the licensed data): the doc ids only carry the parts the reader looks at ("/wsj/" turns
#: "#" into "£").
ONTONOTES = """#doc nw/wsj/00/wsj_9999 000
Acme	B-ORG
Corp.	I-ORG
said	O
profit	O
rose	O
about	B-MONEY
$	I-MONEY
15	I-MONEY
million	I-MONEY
,	O
or	O
12	B-PERCENT
%	I-PERCENT
,	O
to	O
#	O
40	B-MONEY
``	O
last	O
-	O
minute	O
''	O
-LRB-	O
n't	O
-RRB-	O
.	O

It	O
reported	O
50	B-CARDINAL
cents	O
.	O

#doc nw/xinhua/00/chtb_0001 000
"	O
Yes	O
"	O
,	O
he	O
said	O
at	O
6	B-TIME
p.m.	I-TIME
.	O
"	O
"	O
"	O
"	O

"""


def _docs(tmp_path):
    path = tmp_path / "nw.tsv"
    path.write_text(ONTONOTES)
    return read_ontonotes(path)


def test_tokens_become_prose_with_gold_offsets(tmp_path):
    docs = _docs(tmp_path)
    assert [d.doc_id for d in docs] == ["nw/wsj/00/wsj_9999", "nw/xinhua/00/chtb_0001"]
    first = docs[0]
    assert first.text == (
        'Acme Corp. said profit rose about $15 million, or 12%, to £40 "last-minute" (n\'t).\n\nIt reported 50 cents.'
    )
    assert [(s.label, first.text[s.start : s.end]) for s in first.spans] == [
        ("ORG", "Acme Corp."), ("MONEY", "about $15 million"), ("PERCENT", "12%"), ("MONEY", "40"), ("CARDINAL", "50"),
    ]
    assert first.named() == [("Acme Corp.", "ORG")]
    assert docs[1].text.startswith('"Yes", he said at 6 p.m.')


def test_values_and_currencies_gold_spans_state(tmp_path):
    doc = _docs(tmp_path)[0]
    money, percent, pounds = [s for s in doc.numeric() if s.label in ("MONEY", "PERCENT")]
    assert ef.expected_value(money) == 15e6 and ef.expected_currency(money, doc.text) == "USD"
    assert ef.expected_value(percent) == 12
    assert ef.expected_value(pounds) == 40 and ef.expected_currency(pounds, doc.text) == "GBP"


def test_spans_scored_by_overlap_and_compatible_kind(tmp_path):
    doc = _docs(tmp_path)[0]
    at = doc.text.index
    figures = [
        ef.Predicted(at("$15"), at("$15") + len("$15 million"), "money", 15e6, None, "USD"),
        ef.Predicted(at("12%"), at("12%") + 3, "range", 10, 12, "percent"),  # a range counts by its ends
        ef.Predicted(at("£40"), at("£40") + 3, "cardinal", 40),  # wrong kind: a miss and a false hit
    ]
    t = ef.tally([doc], [figures])
    assert (t.spans["MONEY"].tp, t.spans["MONEY"].fn) == (1, 1)
    assert t.spans["PERCENT"].tp == 1 and t.spans["CARDINAL"].fp == 1 and t.spans["CARDINAL"].fn == 1
    assert (t.value_right, t.value_total) == (2, 3)


def test_offsets_survive_a_line_the_cleaner_moved():
    sent = "First line.\n\nMonday, May 1, 1989\n\nProfit rose 5%."
    stored = "First line.\n\nProfit rose 5%."
    to_sent = ef.offsets_in(sent, stored)
    assert sent[to_sent(stored.index("5%")) :].startswith("5%")
    assert ef.offsets_in(sent, sent)(7) == 7


def test_both_commands_score_ontonotes_through_the_chain(tmp_path, capsys, nlp):
    import argparse

    from article_pipeline_local.evaluation import eval_entities as ee

    path = tmp_path / "nw.tsv"
    path.write_text(ONTONOTES)
    for module, argument in ((ef, "ontonotes_file"), (ee, "conll_file")):
        parser = argparse.ArgumentParser()
        module.add_arguments(parser)
        assert module.run(parser.parse_args([str(path)])) == 0
    out = capsys.readouterr().out
    assert out.count("== development half") == 2 and out.count("== held-out half") == 2
    assert "money/percent values right" in out and "raw model (NER only)" in out
    figures_block = out.split("== full file")[1]
    assert "pipeline" in figures_block
