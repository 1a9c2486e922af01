import pytest

from article_pipeline.cleaning import clean_article
from article_pipeline.cleaning.boilerplate import classify_line
from article_pipeline.cleaning.captions import match_caption
from article_pipeline.cleaning.text import parse_byline, split_dateline

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"

BODY = "A council spokesperson said the work would start next spring and last about two years."


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Share this article: Bridge plan approved", "share"),
        ("Share", "share"),
        ("Facebook Twitter Email", "share"),
        ("Click to share on Twitter (Opens in new window)", "share"),
        ("Follow us on Instagram", "follow"),
        ("Follow Jane Doe on Twitter: @janedoe", "follow"),
        ("Sign up for our daily newsletter", "newsletter"),
        ("Get the best stories delivered to your inbox every morning.", "newsletter"),
        ("Read more: Why the river keeps flooding", "read_more"),
        ("READ MORE", "read_more"),
        ("Continue reading", "read_more"),
        ("Related: Council votes on budget", "related"),
        ("You may also like", "related"),
        ("More from Example Daily", "more_from"),
        ("© 2020 Example Media Group. All rights reserved.", "copyright"),
        ("This material may not be published, broadcast, rewritten or redistributed.", "copyright"),
        ("Advertisement", "advertisement"),
        ("Story continues below advertisement", "advertisement"),
        ("(Reporting by Jane Doe; Editing by John Roe)", "staff_credit"),
        ("Tags: politics, harbour, council", "tags"),
        ("12 Comments", "comments"),
        # the same furniture in other languages
        ("Mehr zum Thema", "read_more"),
        ("Lesen Sie auch: Die Brücke wird teurer", "read_more"),
        ("Lesen Sie auch unsere Berichte:", "read_more"),
        ("Lire aussi : Le pont sera plus cher", "read_more"),
        ("Lea también: El puerto abrirá una nueva terminal", "read_more"),
        ("VEA TAMBIÉN: El mercado del puerto cierra los domingos", "read_more"),
        ("Artikel teilen", "share"),
        ("Partager sur LinkedIn", "share"),
        ("Compartir en Telegram", "share"),
        ("Jetzt Newsletter abonnieren und nichts verpassen", "newsletter"),
    ],
)
def test_boilerplate_kinds(line: str, kind: str) -> None:
    verdict = classify_line(line)
    assert verdict is not None and verdict.kind == kind


@pytest.mark.parametrize(
    "line",
    [
        "Share prices fell 3% on Monday after the company cut its forecast.",
        "Shares in the bank rose.",
        "Follow-up talks are planned for next week, officials said.",
        "Related to the case, police arrested a second man on Friday.",
        "More than 200 people attended the meeting.",
        "The company will get a newsletter out to investors next week.",
        "Sign up for a free trial of the app was slow, the firm admitted.",
        "Read more books, the minister urged parents.",
        "Teilen ist schön, sagte die Ministerin.",
        "Mehr dazu lesen Sie in unserem Dossier über die Energiewende.",
        "Lesen Sie auch, was die Ministerin zum Thema sagt und warum sie sich entschieden hat.",
        BODY,
    ],
)
def test_prose_is_not_boilerplate(line: str) -> None:
    assert classify_line(line) is None


@pytest.mark.parametrize(
    ("line", "publisher"),
    [
        ("More from Example Daily", "Example Daily"),
        ("Copyright 2016 The Associated Press. All rights reserved.", "The Associated Press"),
        ("© 2021 Harbour Media", "Harbour Media"),
    ],
)
def test_publisher_from_furniture(line: str, publisher: str) -> None:
    verdict = classify_line(line)
    assert verdict is not None and verdict.publisher == publisher


@pytest.mark.parametrize(
    ("paragraph", "caption", "credit", "featured"),
    [
        ("A ferry leaves the port. [Image by Jane Doe/Example Images]", "A ferry leaves the port.", "Jane Doe/Example Images", False),
        ("[Featured Image by Uncredited/Example Images]", None, "Uncredited/Example Images", True),
        ("Crowds gather outside. (AP Photo/Jon Smith)", "Crowds gather outside.", "AP Photo/Jon Smith", False),
        ("Crowds gather outside. Photo: Jon Smith", "Crowds gather outside.", "Jon Smith", False),
        ("The mayor speaks. (Photo by Ann Lee/Getty Images)", "The mayor speaks.", "Ann Lee/Getty Images", False),
        ("Image copyright Reuters Image caption The mayor speaks", "The mayor speaks", "Reuters", False),
        ("Die Brücke am Abend. Foto: Hans Meier", "Die Brücke am Abend.", "Hans Meier", False),
        ("Bild: Hans Meier/Stadt Zürich", None, "Hans Meier/Stadt Zürich", False),
        ("Le pont au soir. (Photo : Jean Dupont)", "Le pont au soir.", "Jean Dupont", False),
    ],
)
def test_captions_and_credits(paragraph: str, caption: str | None, credit: str, featured: bool) -> None:
    match = match_caption(paragraph)
    assert match is not None
    assert (match.image.caption, match.image.credit, match.image.featured) == (caption, credit, featured)


@pytest.mark.parametrize(
    "paragraph",
    [BODY, "He said the photo by the river was taken in 1998 and shows his father at work on the boats.",
     "The image is blurry (and old), he said."],
)
def test_prose_is_not_a_caption(paragraph: str) -> None:
    assert match_caption(paragraph) is None


def test_byline_parsing() -> None:
    assert parse_byline("By Jane Doe") == "Jane Doe"
    assert parse_byline("By JANE DOE and John Roe, Reuters") == "JANE DOE and John Roe, Reuters"
    assert parse_byline("By Jane Doe | Published 3 March 2020") == "Jane Doe"
    assert parse_byline("By Monday, the company had gone bust.") is None
    assert parse_byline("By the time police arrived, the crowd had gone.") is None


def test_dateline_detection() -> None:
    rest, dateline, agency = split_dateline("LONDON (Reuters) - Britain's economy grew faster than expected.")
    assert (dateline, agency) == ("LONDON (Reuters) -", "Reuters")
    assert rest.startswith("Britain")
    _, dateline, agency = split_dateline("KYIV, Ukraine (AP) — Officials said on Monday that talks would resume.")
    assert (dateline, agency) == ("KYIV, Ukraine (AP) —", "AP")
    assert split_dateline("The UK economy grew - slowly - last year.")[1] is None


def test_scraped_story_fixture() -> None:
    article = clean_article((FIXTURES / "wire-story.txt").read_bytes(), key="incoming/wire-story.txt")
    assert article.title == "City Council Approves New Harbour Bridge"
    assert article.byline == "Maria Lopez and Tom Baker, Harbour Times"
    assert article.published == "2021-03-03"
    assert article.publisher == "The Harbour Times"
    assert len(article.paragraphs) == 4
    assert article.paragraphs[0].startswith("PORTSMOUTH (Reuters) - The city council")
    assert article.paragraphs[-1] == '"We will keep talking to every neighbourhood," Hughes said.'
    assert [(i.caption, i.credit) for i in article.images] == [
        ("Workers inspect the old harbour bridge on Monday. Engineers say it needs urgent repairs.", "AP Photo/Jon Smith"),
        ("The harbour at dusk, seen from the old town walls.", "Getty Images"),
        (None, "Harbour Times archive"),
    ]
    kinds = {removed.kind for removed in article.removed}
    assert {"share", "follow", "newsletter", "read_more", "related", "more_from", "copyright", "advertisement"} <= kinds
    assert "Advertisement" not in article.text and "Share" not in article.text


def test_hard_wrapped_paragraphs_are_joined() -> None:
    raw = (
        "Wrapped Headline\n\n"
        "This paragraph was wrapped at a fixed width by an old\n"
        "scraper, so its lines must be joined back into one\n"
        "paragraph.\n\nSecond paragraph stands alone here.\n"
    ).encode()
    article = clean_article(raw, key="a.txt")
    assert article.paragraphs == [
        "This paragraph was wrapped at a fixed width by an old scraper, so its lines must be joined back into one paragraph.",
        "Second paragraph stands alone here.",
    ]


def test_header_block_metadata() -> None:
    raw = b"Title: Header Style Story\nAuthor: Jane Doe\nDate: 2020-01-02\n\nBody text of the story goes here and on."
    article = clean_article(raw, key="a.txt")
    assert (article.title, article.byline, article.published) == ("Header Style Story", "Jane Doe", "2020-01-02")
    assert article.text == "Body text of the story goes here and on."


def test_only_furniture_is_no_article_text() -> None:
    from article_pipeline.errors import BadInputError

    with pytest.raises(BadInputError) as error:
        clean_article(b"Share this article\nFollow us on Twitter\nAdvertisement\n", key="a.txt")
    assert error.value.kind == "no_article_text"


def test_aleppo_sample(shared_dir) -> None:
    article = clean_article((shared_dir / "samples" / "aleppo-inquisitr.txt").read_bytes(), key="incoming/aleppo-inquisitr.txt")
    assert article.title == "Aleppo Rebels Continue Fighting As Syrian, Russian Forces Advance"
    assert len(article.paragraphs) == 7
    assert "[Image" not in article.text and "AP Images" not in article.text
    assert "Share this article" not in article.text and "More from" not in article.text
    assert [(i.credit, i.featured) for i in article.images] == [
        ("Vladimir Isachenkov/AP Images", False),
        ("AP Images", False),
        ("Uncredited/AP Images", True),
    ]
    assert all(image.caption for image in article.images[:2]) and article.images[2].caption is None
    assert article.publisher == "Inquisitr"
    removed = {(r.kind, r.text) for r in article.removed}
    assert ("more_from", "More from Inquisitr") in removed
    assert any(kind == "share" and text.startswith("Share this article:") for kind, text in removed)
    assert article.language == "en"


def test_bbc_samples(shared_dir) -> None:
    paths = sorted((shared_dir / "samples" / "bbc").glob("*.txt"))
    assert paths, "no BBC samples found"
    for path in paths:
        raw = path.read_text(encoding="utf-8")
        first, _, rest = raw.partition("\n")
        article = clean_article(path.read_bytes(), key=f"incoming/{path.name}")
        assert article.title == first.strip(), path.name
        assert article.paragraphs == [p.strip() for p in rest.split("\n\n") if p.strip()], path.name
        assert article.removed == [], path.name


def test_large_text_is_fast() -> None:
    import time

    paragraph = ("The council met again on Tuesday to discuss the harbour plan in detail. " * 6).strip()
    raw = ("Big Story\n\n" + "\n\n".join([paragraph] * 12000)).encode()
    assert len(raw) > 5_000_000
    started = time.perf_counter()
    article = clean_article(raw, key="big.txt")
    assert time.perf_counter() - started < 3
    assert len(article.paragraphs) == 12000


def test_a_date_line_is_a_date_and_nothing_else() -> None:
    from article_pipeline.cleaning.text import _leading_date

    assert _leading_date("Published on 3 March 2020") == "2020-03-03"
    assert _leading_date("Last updated: Mon 3 Feb 2020 10.30 GMT") == "2020-02-03T10:30:00+00:00"
    assert _leading_date("Veröffentlichung: 2. Februar 2022") is not None
    # prose that starts with a date stays prose
    assert _leading_date("Ende März 2023 hat") is None
    assert _leading_date("In May 2019 the company moved to Berlin.") is None
    assert _leading_date("Updated guidance was issued on 5 March 2020") is None
