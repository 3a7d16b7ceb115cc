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

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
PER_DOCUMENT_CHARS = 200_000
MAX_PDF_PAGES = 300
MAX_XLSX_CELLS = 200_000


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
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    parts: list[str] = []
    cells = 0
    try:
        for sheet in workbook.worksheets:
            parts.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                values = [str(value) for value in row if value not in (None, "")]
                cells += len(row)
                if values:
                    parts.append(" ".join(values))
                if cells > MAX_XLSX_CELLS:
                    return "\n".join(parts)
    finally:
        workbook.close()
    return "\n".join(parts)


READERS = {PDF: _pdf, DOCX: _docx, XLSX: _xlsx, CSV: lambda content: content.decode("utf-8", "replace")}


def document_text(content: bytes, content_type: str) -> str:
    """The document's words, whitespace folded; "" for a type without text or a file that fails."""
    reader = READERS.get(content_type)
    if reader is None:
        return ""
    try:
        raw = reader(content)
    except Exception:  # a damaged or hostile file: published, not indexed by content
        logger.warning("no text from a %s document", content_type, exc_info=True)
        return ""
    return re.sub(r"\s+", " ", raw.replace("\x00", " ")).strip()[:PER_DOCUMENT_CHARS]
