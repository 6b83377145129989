"""XML from the network parsed with defusedxml: entity bombs and external references are refused, not expanded."""
from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from pharmadeals.models.errors import ItemError
from pharmadeals.scrapers.decode import decode_body
from pharmadeals.scrapers.sources.base import SourceError

XML_DECL_ENCODING = re.compile(r"""(?<=<\?xml)([^>]*?)\s+encoding\s*=\s*["'][^"']*["']""")
ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)


def check_hostile(body: bytes, where: str) -> None:
    """Raise SourceError for XML that declares entities (billion laughs, external entities)."""
    if ENTITY_DECL.search(body[:1_000_000]):
        raise SourceError(f"{where}: hostile XML refused (declares entities)")


def as_utf8(body: bytes, where: str) -> bytes:
    """Expat reads no multi-byte legacy charsets (GB2312/GBK/Big5 feeds): transcode to UTF-8 first."""
    try:
        text = decode_body(body, None)
    except ItemError as exc:
        raise SourceError(f"{where}: undecodable XML ({exc.reason})") from exc
    return XML_DECL_ENCODING.sub(r"\1", text, count=1).encode("utf-8")


def _parse(data: bytes, where: str) -> Element:
    try:
        return SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise SourceError(f"{where}: hostile XML refused ({type(exc).__name__})") from exc
    except ParseError as exc:
        raise SourceError(f"{where}: malformed XML ({exc})") from exc


def parse_xml(body: bytes, where: str) -> Element:
    """A parsed tree; hostile or malformed XML is a SourceError naming the problem."""
    check_hostile(body, where)
    data = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    try:
        return _parse(data, where)
    except (ValueError, LookupError):  # expat: "multi-byte encodings are not supported"
        return _parse(as_utf8(data, where), where)


def local(tag: str) -> str:
    """Tag name without its namespace."""
    return tag.rsplit("}", 1)[-1]
