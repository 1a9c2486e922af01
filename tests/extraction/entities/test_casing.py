from article_pipeline.extraction.entities.casing import is_shouted_line, repair_casing

BODY = (
    "Leicestershire beat Somerset by an innings to take over at the top of the table.\n"
    "The BBC said the result was a surprise."
)


def test_shouted_headline_is_recased_from_the_body():
    text = "CRICKET - LEICESTERSHIRE TAKE OVER AT TOP\n\n" + BODY
    fixed = repair_casing(text)
    assert len(fixed) == len(text)
    assert fixed.startswith("Cricket - Leicestershire take over at top")
    assert fixed.endswith(BODY)


def test_dateline_place_uses_gazetteer_form():
    text = "HEADLINE HERE\n\nLONDON 1996-08-30\n" + BODY
    fixed = repair_casing(text, {"london": "London"})
    assert "\nLondon 1996-08-30\n" in fixed
    wire = "NEW YORK (Reuters) - Shares rose."
    assert repair_casing(wire).startswith("New York (Reuters)")


def test_acronyms_and_ordinary_text_untouched():
    assert repair_casing(BODY) == BODY
    assert repair_casing("BBC NEWS\n\nThe BBC said so.").startswith("BBC news")


def test_shouted_line_detection():
    assert is_shouted_line("SOCCER - JAPAN GET LUCKY WIN")
    assert not is_shouted_line("The BBC and CNN reported it")
