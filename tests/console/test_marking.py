"""Marking an article's text: every mention and figure where the record puts it, all of it escaped."""

from __future__ import annotations

from lxml import html as lxml_html

from article_pipeline_local.console.marking import label_colour, mark_text


def parse(marked) -> lxml_html.HtmlElement:
    return lxml_html.fragment_fromstring(str(marked.html), create_parent="div")


def entity(name: str, label: str, *spans: tuple[int, int], aliases=()) -> dict:
    return {"name": name, "label": label, "count": len(spans), "aliases": list(aliases), "salience": 0.5,
            "mentions": [{"start": s, "end": e} for s, e in spans]}


def figure(text: str, start: int, **extra) -> dict:
    return {"text": text, "start": start, "end": start + len(text), "kind": "cardinal", **extra}


TEXT = "Jacinda Ardern met 40 people in Wellington; Ardern said NZ$5 million."


def test_every_mention_and_figure_is_marked_and_the_text_is_kept():
    at = TEXT.index
    entities = [entity("Jacinda Ardern", "PERSON", (0, 14), (at("Ardern s"), at("Ardern s") + 6), aliases=["Ardern"]),
                entity("Wellington", "GPE", (at("Wellington"), at(";")))]
    figures = [figure("40", at("40"), value=40.0, unit="people", subject="people", qualifier=None),
               figure("NZ$5 million", at("NZ$"), value=5e6, unit="NZD")]
    marked = mark_text(TEXT, entities, figures)
    root = parse(marked)
    assert root.text_content() == TEXT
    marks = root.findall(".//mark")
    assert [(m.get("data-entity"), m.get("data-mention"), m.get("data-label"), m.text_content()) for m in marks] == [
        ("0", "0", "PERSON", "Jacinda Ardern"), ("1", "0", "GPE", "Wellington"), ("0", "1", "PERSON", "Ardern")]
    assert "aliases: Ardern" in marks[0].get("title") and label_colour("PERSON") in marks[0].get("style")
    spans = root.findall(".//span[@class='figure']")
    assert [(s.get("data-figure"), s.text_content()) for s in spans] == [("0", "40"), ("1", "NZ$5 million")]
    assert "value: 40 people" in spans[0].get("title") and "subject: people" in spans[0].get("title")
    assert marked.labels == ["GPE", "PERSON"] and (marked.skipped_entities, marked.skipped_figures) == (0, 0)


def test_a_figure_across_a_mention_edge_is_split_into_parts_of_one_figure():
    text = "The 2024 Olympics cost 9 billion."
    marked = mark_text(text, [entity("2024 Olympics", "EVENT", (4, 17))], [figure("The 2024", 0, value=2024.0)])
    root = parse(marked)
    parts = root.findall(".//span[@class='figure']")
    assert [p.get("data-figure") for p in parts] == ["0", "0"]
    assert "".join(p.text_content() for p in parts) == "The 2024"
    assert root.find(".//mark").text_content() == "2024 Olympics" and root.text_content() == text


def test_overlapping_or_outside_spans_are_counted_not_drawn():
    text = "New York City"
    entities = [entity("New York City", "GPE", (0, 13)), entity("York", "GPE", (4, 8)), entity("Far", "ORG", (20, 25))]
    marked = mark_text(text, entities, [figure("x", 40)])
    assert len(parse(marked).findall(".//mark")) == 1
    assert (marked.skipped_entities, marked.skipped_figures) == (2, 1)


def test_markup_in_the_text_and_the_record_is_escaped():
    text = '<script>alert(1)</script> & "quotes"'
    hostile = entity('<img src=x onerror=alert(1)>', 'ORG"><b', (8, 16), aliases=['"><script>'])
    root = parse(mark_text(text, [hostile], [figure("1", 14, unit="<i>")]))
    assert root.text_content() == text
    assert not root.findall(".//script") and not root.findall(".//img") and not root.findall(".//b") and not root.findall(".//i")
    mark = root.find(".//mark")
    assert mark.get("data-label") == 'ORG"><b' and mark.get("title").startswith("<img src=x onerror=alert(1)>")
