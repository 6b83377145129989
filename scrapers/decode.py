"""Turn response bytes into text without mangling Chinese: header, meta tag, BOM, then detection.

httpx assumes UTF-8 when the Content-Type names no charset and never reads ``<meta charset>``,
which garbles GBK/Big5 pages; this module decides the charset itself.
"""
from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from pharmadeals.models.errors import ItemError

# Declared charsets mapped to the superset codec that decodes everything the label is used for.
SUPERSETS = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb18030": "gb18030", "cp936": "gb18030",
    "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "x-x-big5": "big5hkscs", "cp950": "big5hkscs",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "windows-31j": "cp932",
    "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252",
    "utf8": "utf-8",
}
# Labels servers send by default without knowing the page; a <meta> tag wins over them.
WEAK_LABELS = frozenset({"cp1252"})
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)"""
                          rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
SNIFF_BYTES = 4096
MAX_REPLACEMENT_RATIO = 0.02
# Magic numbers of formats that are never text, even when served as text/html.
BINARY_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"\x1f\x8b", b"BZh", b"\x7fELF",
                b"MZ", b"RIFF", b"\x00\x00\x01\x00", b"OggS", b"ID3", b"7z\xbc\xaf")


def codec_for(label: str | None) -> str | None:
    """The Python codec for a charset label, or None when the label is unknown."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = SUPERSETS.get(name, name)
    try:
        return SUPERSETS.get(codecs.lookup(name).name, codecs.lookup(name).name)
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    match = HEADER_CHARSET.search(content_type or "")
    return codec_for(match.group(1)) if match else None


def meta_charset(body: bytes) -> str | None:
    """The charset named by <meta charset> or http-equiv Content-Type in the document head."""
    match = META_CHARSET.search(body[:SNIFF_BYTES])
    return codec_for((match.group(1) or match.group(2)).decode("ascii", "ignore")) if match else None


def bom_charset(body: bytes) -> str | None:
    for bom, codec in BOMS:
        if body.startswith(bom):
            return codec
    return None


def looks_binary(body: bytes) -> bool:
    """True for images, archives and other non-text bodies (a UTF-16 BOM is text)."""
    if body.startswith(BINARY_MAGIC):
        return True
    head = body[:SNIFF_BYTES]
    if bom_charset(head) in ("utf-16", "utf-32"):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return bool(head) and controls / len(head) > 0.1


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _detected(body: bytes) -> str | None:
    best = from_bytes(body[:200_000]).best()
    if best is None:
        return None
    codec = codec_for(best.encoding) or best.encoding
    return _strict(body, codec)


def valid_utf8(body: bytes) -> bool:
    """Non-ASCII bytes that form valid UTF-8: GBK/Big5 text essentially never does, so UTF-8 it is."""
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def candidates(body: bytes, content_type: str | None) -> list[str]:
    """Codecs to try, in order: BOM, valid UTF-8 (sites that migrated but kept a gb2312 meta tag),
    header (unless a weak default), meta, weak header."""
    declared = header_charset(content_type)
    order = [bom_charset(body), "utf-8" if valid_utf8(body) else None]
    if declared not in WEAK_LABELS:
        order.append(declared)
    order.append(meta_charset(body))
    order.append(declared)
    seen: list[str] = []
    for codec in order:
        if codec and codec not in seen:
            seen.append(codec)
    return seen


def decode_body(body: bytes, content_type: str | None = None) -> str:
    """Decode a text body; raises ItemError('decode', ...) for binary or undecodable bytes."""
    if not body.strip():
        raise ItemError("empty", "the body is empty")
    if looks_binary(body):
        raise ItemError("binary", f"binary content served as {content_type or 'text'}")
    for codec in candidates(body, content_type):
        text = _strict(body, codec)
        if text is not None:
            return text.lstrip("\ufeff")
    text = _strict(body, "utf-8") or _detected(body)
    if text is not None:
        return text.lstrip("\ufeff")
    # Last resort for pages with a few broken bytes (old GBK news sites): accept them when rare.
    for codec in candidates(body, content_type) + ["gb18030", "utf-8"]:
        text = body.decode(codec, errors="replace")
        if text.count("\ufffd") / max(len(text), 1) <= MAX_REPLACEMENT_RATIO:
            return text.lstrip("\ufeff")
    raise ItemError("decode", "cannot decode the body with the declared or a detected charset")
