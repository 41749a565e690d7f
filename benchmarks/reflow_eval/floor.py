"""The speed floor: PDFium's own plain text, with nothing but pypdfium2."""

from __future__ import annotations


def pdfium_page_texts(path) -> list[str]:
    """PDFium's plain text of each page (pypdfium2 ``get_text_range``): the speed floor, and
    the extracted text of the ``aeb-dev-text`` corpus. Needs only pypdfium2 (the bench's worker
    loads this file in the tool's own interpreter)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        parts = []
        for i in range(len(pdf)):
            page = pdf[i]
            tp = page.get_textpage()
            parts.append(tp.get_text_range())
            tp.close()
            page.close()
        return parts
    finally:
        pdf.close()
