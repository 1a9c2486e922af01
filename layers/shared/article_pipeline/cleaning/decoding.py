"""Bytes to clean Unicode text: gunzip, refuse binaries, detect the encoding, normalise.

Every function here is pure; failures that no retry can fix raise ``BadInputError``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zlib
from dataclasses import dataclass, field

from charset_normalizer import from_bytes

from ..errors import BadInputError

#: Largest object we agree to inflate; a bigger one is a gzip bomb or not an article.
MAX_DECOMPRESSED_BYTES = 50 * 1024 * 1024

GZIP_MAGIC = b"\x1f\x8b"

# Magic numbers of formats that are never an article, so they fail early with a clear kind.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "zip archive (or an Office document)"),
    (b"PK\x05\x06", "zip archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
    (b"\x7fELF", "ELF executable"),
    (b"MZ", "Windows executable"),
    (b"RIFF", "RIFF media file"),
    (b"OggS", "Ogg media file"),
    (b"ID3", "MP3 audio"),
    (b"\x00\x00\x00\x18ftyp", "MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "MP4 video"),
    (b"\x00\x00\x00\x1cftyp", "MP4 video"),
    (b"wOFF", "web font"),
    (b"SQLite format 3\x00", "SQLite database"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Single-byte Western code pages that charset-normalizer often cannot tell apart on short
# news text; among equally good guesses cp1252 (the web's de facto "latin-1") is the
# likeliest, and it decodes every printable latin-1 byte the same way.
_WESTERN_PREFERENCE = ("cp1252", "latin_1", "iso8859_15")
_CHAOS_MARGIN = 0.05
_COHERENCE_MARGIN = 0.1

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)
_CONTENT_TYPE_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)

# Characters that mean "this is not text": C0 controls other than tab/newlines, and DEL.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# UTF-8 read as cp1252: a lead byte (Â-ô) followed by one to three characters that cp1252
# shows for the continuation bytes 0x80-0xBF.
_CP1252_CONTINUATION = "\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d" \
    "\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178\u00a0-\u00bf"
_MOJIBAKE = re.compile(
    f"[\u00c2-\u00df][{_CP1252_CONTINUATION}]"
    f"|[\u00e0-\u00ef][{_CP1252_CONTINUATION}]{{2}}"
    f"|[\u00f0-\u00f4][{_CP1252_CONTINUATION}]{{3}}"
)
_MOJIBAKE_HINT = re.compile(f"(?:\u00c3[{_CP1252_CONTINUATION}]|\u00e2\u20ac|\u00c2[\u00a0-\u00bf])")


@dataclass
class DecodedText:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def is_gzip(raw: bytes) -> bool:
    return raw[:2] == GZIP_MAGIC


def gunzip(raw: bytes, *, limit: int = MAX_DECOMPRESSED_BYTES) -> bytes:
    """Inflate gzip data (several members too), refusing to produce more than ``limit`` bytes."""
    out = bytearray()
    data = raw
    while data:
        # 16 + MAX_WBITS: gzip header and trailer expected.
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            # Inflate in bounded steps so a bomb never gets to allocate its full size.
            chunk = inflater.decompress(data, limit + 1 - len(out))
            out += chunk
            while inflater.unconsumed_tail and len(out) <= limit:
                out += inflater.decompress(inflater.unconsumed_tail, limit + 1 - len(out))
        except zlib.error as exc:
            raise BadInputError("corrupt_gzip", f"gzip data cannot be inflated: {exc}") from None
        if len(out) > limit:
            raise BadInputError(
                "gzip_too_large", f"gzip data inflates beyond the limit of {limit} bytes"
            )
        if not inflater.eof:
            raise BadInputError("corrupt_gzip", "gzip data is truncated")
        data = inflater.unused_data
        # Trailing zero padding after the last member is common and harmless.
        if not data.strip(b"\x00"):
            break
        if not is_gzip(data):
            raise BadInputError("corrupt_gzip", "unexpected bytes after the gzip data")
    return bytes(out)


def binary_kind(raw: bytes) -> str | None:
    """Name the binary format ``raw`` starts with, or None when it may be text."""
    for signature, kind in _BINARY_SIGNATURES:
        if raw.startswith(signature):
            # "MZ" and "ID3" are also plausible starts of text; require a NUL nearby.
            if len(signature) <= 3 and b"\x00" not in raw[:512]:
                continue
            return kind
    return None


def declared_charset(raw: bytes, content_type: str | None) -> str | None:
    """The charset the Content-Type or an HTML ``<meta>`` declares, if Python knows it."""
    candidates: list[str] = []
    if content_type:
        match = _CONTENT_TYPE_CHARSET.search(content_type)
        if match:
            candidates.append(match.group(1))
    match = _META_CHARSET.search(raw[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii", "ignore"))
    for name in candidates:
        try:
            return codecs.lookup(name).name
        except LookupError:
            continue
    return None


def _utf16_without_bom(raw: bytes) -> str | None:
    """Recognise BOM-less UTF-16 by its NUL bytes: mostly-ASCII text has one per character."""
    sample = raw[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def _guess_single_byte(raw: bytes) -> str:
    results = from_bytes(raw[:200_000])
    best = results.best()
    if best is None:
        return "cp1252"
    # charset-normalizer folds code pages that decode these bytes identically into one
    # match (``could_be_from_charset``). On short text its best guess is often an exotic
    # code page by a hair, so a Western match nearly as good is preferred.
    close: set[str] = set()
    for match in results:
        if match.chaos <= best.chaos + _CHAOS_MARGIN and match.coherence >= best.coherence - _COHERENCE_MARGIN:
            close.add(match.encoding)
            close.update(match.could_be_from_charset)
    for preferred in _WESTERN_PREFERENCE:
        if preferred in close:
            return preferred
    encoding = best.encoding
    # Without a BOM or NUL pattern, a "UTF-16/32" guess is noise on a few bytes; and a
    # guess with no language evidence at all is no better than the Western default.
    if encoding.startswith(("utf_16", "utf_32")) or (best.coherence == 0 and best.chaos == 0):
        return "cp1252"
    return encoding


def _decode_with(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def repair_mojibake(text: str) -> tuple[str, bool]:
    """Undo UTF-8 that was decoded as cp1252 ("â€™" → "’"), where it is cheap and certain."""
    if not _MOJIBAKE_HINT.search(text):
        return text, False

    def fix(match: re.Match[str]) -> str:
        chunk = match.group(0)
        try:
            return chunk.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            try:
                return chunk.encode("latin-1").decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                return chunk

    repaired = _MOJIBAKE.sub(fix, text)
    return repaired, repaired != text


def normalise_text(text: str) -> str:
    """NFC, Unix newlines, no NULs or stray control characters, no odd spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\x0c", "\n")
    text = _CONTROL_CHARS.sub("", text)
    # Zero-width characters and soft hyphens split words invisibly and confuse tokenisers.
    text = re.sub("[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", text)
    return unicodedata.normalize("NFC", text)


def decode_bytes(raw: bytes, *, content_type: str | None = None) -> DecodedText:
    """Decode (already gunzipped) bytes to normalised text, or raise BadInputError."""
    if not raw.strip():
        raise BadInputError("empty", "the object is empty or only whitespace")
    kind = binary_kind(raw)
    if kind:
        raise BadInputError("binary", f"the object is a {kind}, not an article")

    warnings: list[str] = []
    text: str | None = None
    encoding = ""
    for bom, bom_encoding in _BOMS:
        if raw.startswith(bom):
            text = _decode_with(raw[len(bom):], bom_encoding)
            if text is None:
                raise BadInputError("undecodable", f"the object has a {bom_encoding} BOM but is not {bom_encoding}")
            encoding = bom_encoding
            break
    if text is None:
        utf16 = _utf16_without_bom(raw)
        if utf16:
            text = _decode_with(raw, utf16)
            encoding = utf16
    if text is None:
        text = _decode_with(raw, "utf-8")
        encoding = "utf-8"
    if text is None:
        declared = declared_charset(raw, content_type)
        if declared and declared != "utf-8":
            text = _decode_with(raw, declared)
            encoding = declared
    if text is None:
        if b"\x00" in raw[:4096]:
            raise BadInputError("binary", "the object contains NUL bytes and no known text encoding")
        encoding = _guess_single_byte(raw)
        text = _decode_with(raw, encoding)
        if text is None:
            # cp1252 leaves five bytes undefined; latin-1 decodes anything.
            encoding = "latin-1"
            text = raw.decode("latin-1")
        warnings.append(f"decoded as {encoding} (not UTF-8)")

    text, repaired = repair_mojibake(text)
    if repaired:
        warnings.append("repaired UTF-8 text that had been decoded as cp1252 (mojibake)")
    sample = text[:4096]
    if sample and len(_CONTROL_CHARS.findall(sample)) > 0.1 * len(sample):
        raise BadInputError("binary", "the object is mostly control characters, not text")
    text = normalise_text(text)
    if not text.strip():
        raise BadInputError("empty", "the object has no visible text")
    return DecodedText(text=text, encoding=encoding, warnings=warnings)
