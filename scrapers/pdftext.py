"""Text of announcement PDFs (HKEX, CNINFO) via pypdf, with corrupt and encrypted files reported."""
from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING

from pharmadeals.models.errors import ItemError

if TYPE_CHECKING:  # pypdf is imported on the first PDF: most runs (and `extract` of a text file) read none
    from pypdf import PdfReader

MAX_PAGES = 60  # deal terms sit in the first pages; long annual reports are cut here
logging.getLogger("pypdf").setLevel(logging.ERROR)


def _reader(body: bytes) -> PdfReader:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not body.lstrip().startswith(b"%PDF"):
        raise ItemError("corrupt", "not a PDF file (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(body), strict=False)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, IndexError) as exc:
        raise ItemError("corrupt", f"corrupt PDF: {exc}") from exc
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except (PyPdfError, NotImplementedError, ValueError) as exc:
            raise ItemError("encrypted", f"encrypted PDF cannot be opened: {exc}") from exc
        if not opened:
            raise ItemError("encrypted", "PDF is encrypted with a password")
    return reader


def pdf_text(body: bytes) -> tuple[str, str | None]:
    """(text of the first pages, document title or None); raises ItemError for corrupt/encrypted files."""
    from pypdf.errors import PyPdfError

    reader = _reader(body)
    parts: list[str] = []
    try:
        for page in reader.pages[:MAX_PAGES]:
            parts.append(page.extract_text() or "")
        title = reader.metadata.get("/Title") if reader.metadata else None
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, IndexError, RecursionError) as exc:
        raise ItemError("corrupt", f"corrupt PDF: {exc}") from exc
    title_text = str(title).strip() if title else None
    return "\n".join(p.strip() for p in parts if p.strip()), title_text or None
