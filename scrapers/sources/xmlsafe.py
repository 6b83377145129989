"""XML from the network parsed with defusedxml: entity bombs and external references are refused, not expanded."""
from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from scrapers.sources.base import SourceError

ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)


def check_hostile(body: bytes, where: str) -> None:
    """Raise SourceError for XML that declares entities (billion laughs, external entities)."""
    if ENTITY_DECL.search(body[:1_000_000]):
        raise SourceError(f"{where}: hostile XML refused (declares entities)")


def parse_xml(body: bytes, where: str) -> Element:
    """A parsed tree; hostile or malformed XML is a SourceError naming the problem."""
    check_hostile(body, where)
    try:
        return SafeET.fromstring(body.lstrip(b"\xef\xbb\xbf \t\r\n"))
    except DefusedXmlException as exc:
        raise SourceError(f"{where}: hostile XML refused ({type(exc).__name__})") from exc
    except ParseError as exc:
        raise SourceError(f"{where}: malformed XML ({exc})") from exc


def local(tag: str) -> str:
    """Tag name without its namespace."""
    return tag.rsplit("}", 1)[-1]
