import gzip

import pytest

from article_pipeline.cleaning import clean_article
from article_pipeline.cleaning.decoding import decode_bytes, gunzip, normalise_text, repair_mojibake
from article_pipeline.errors import BadInputError

SAMPLE = "Café owners in Zürich said the “new rules” cost them €5,000 – a naïve plan.\n"


@pytest.mark.parametrize(
    "raw",
    [
        SAMPLE.encode("utf-8"),
        b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"),
        b"\xff\xfe" + SAMPLE.encode("utf-16-le"),
        b"\xfe\xff" + SAMPLE.encode("utf-16-be"),
        SAMPLE.encode("utf-16-le"),
        SAMPLE.encode("utf-16-be"),
        SAMPLE.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "cp1252"],
)
def test_encodings_decode_to_the_same_text(raw: bytes) -> None:
    assert decode_bytes(raw).text == SAMPLE


def test_latin1_decodes() -> None:
    text = "Le café était fermé à Noël; les élèves étaient déçus.\n"
    assert decode_bytes(text.encode("latin-1")).text == text


def test_non_western_single_byte_encoding() -> None:
    text = "Правительство одобрило новый закон о налогах в понедельник."
    decoded = decode_bytes(text.encode("cp1251"))
    assert decoded.text == text
    assert any("cp1251" in warning for warning in decoded.warnings)


def test_declared_charset_is_used_when_not_utf8() -> None:
    html = '<html><head><meta charset="windows-1252"></head><body><p>“Quoted” text</p></body></html>'
    assert "“Quoted”" in decode_bytes(html.encode("cp1252")).text


def test_normalisation_nfc_newlines_nul() -> None:
    assert normalise_text("Cafe\u0301\r\nline\rnext\x00 end\u200b") == "Café\nline\nnext end"


def test_mojibake_is_repaired() -> None:
    text, repaired = repair_mojibake("The minister\u00e2\u20ac\u2122s caf\u00c3\u00a9 plan")
    assert repaired and text == "The minister’s café plan"
    assert repair_mojibake("Plain text, São Paulo") == ("Plain text, São Paulo", False)


def test_gzip_roundtrip_and_multi_member() -> None:
    assert gunzip(gzip.compress(b"one ") + gzip.compress(b"two")) == b"one two"


def test_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(b"\0" * 2_000_000)
    with pytest.raises(BadInputError) as error:
        gunzip(bomb, limit=1_000_000)
    assert error.value.kind == "gzip_too_large"


def test_gzip_bomb_through_clean_article() -> None:
    from article_pipeline.cleaning import MAX_DECOMPRESSED_BYTES

    bomb = gzip.compress(b" " * (MAX_DECOMPRESSED_BYTES + 1), compresslevel=1)
    with pytest.raises(BadInputError) as error:
        clean_article(bomb, key="incoming/bomb.txt.gz")
    assert error.value.kind == "gzip_too_large"


def test_truncated_gzip_is_bad_input() -> None:
    with pytest.raises(BadInputError) as error:
        gunzip(gzip.compress(b"hello world" * 100)[:30])
    assert error.value.kind == "corrupt_gzip"


def test_gzipped_article_by_magic_bytes_without_gz_key() -> None:
    raw = gzip.compress(b"Headline here\n\nA body paragraph that is long enough to be an article body.")
    article = clean_article(raw, key="incoming/story.txt")
    assert article.title == "Headline here"


@pytest.mark.parametrize(
    "raw",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        bytes(range(256)) * 4,
    ],
    ids=["png", "pdf", "zip", "jpeg", "random-bytes"],
)
def test_binary_is_bad_input(raw: bytes) -> None:
    with pytest.raises(BadInputError) as error:
        clean_article(raw, key="incoming/thing.txt")
    assert error.value.kind == "binary"


@pytest.mark.parametrize("raw", [b"", b"   \n\t\r\n  ", "\ufeff  \n".encode("utf-8"), "  ".encode("utf-16")])
def test_empty_is_bad_input(raw: bytes) -> None:
    with pytest.raises(BadInputError) as error:
        clean_article(raw, key="incoming/empty.txt")
    assert error.value.kind == "empty"
