"""The text inside a published document, for the catalogue's full-text index.

PDF with pypdf, DOCX with python-docx, XLSX with openpyxl (read-only): well-kept pure-Python
readers, no system tools. A scanned PDF has no text layer and yields nothing; a damaged file
yields nothing rather than an error (the document is still published, only not searchable by
its content). Text is capped per document so that one huge spreadsheet cannot crowd the index."""

from __future__ import annotations

import io
import logging
import re

logger = logging.getLogger(__name__)

PER_DOCUMENT_CHARS = 200_000
MAX_PDF_PAGES = 300


def _pdf(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return "\n".join((page.extract_text() or "") for page in reader.pages[:MAX_PDF_PAGES])


def _docx(content: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _xlsx(content: bytes) -> str:
    from ..web.spreadsheets import xlsx_text  # every XLSX is read there, with its zip-bomb checks

    return xlsx_text(content)


# By the type's short name (``attachments.services.DOCUMENT_TYPES``: the type judged from the content).
READERS = {"PDF": _pdf, "DOCX": _docx, "XLSX": _xlsx, "CSV": lambda content: content.decode("utf-8", "replace")}


def document_text(content: bytes, content_type: str) -> str:
    """The document's words, whitespace folded; "" for a type without text or a file that fails."""
    from ..attachments.services import DOCUMENT_TYPES

    reader = READERS.get(DOCUMENT_TYPES.get(content_type, ""))
    if reader is None:
        return ""
    try:
        raw = reader(content)
    except Exception:  # a damaged or hostile file: published, not indexed by content
        logger.warning("no text from a %s document", content_type, exc_info=True)
        return ""
    return re.sub(r"\s+", " ", raw.replace("\x00", " ")).strip()[:PER_DOCUMENT_CHARS]
