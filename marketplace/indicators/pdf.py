"""The council report as a tagged PDF (WeasyPrint, PDF/UA-1: headings, tables and the charts'
text alternatives reach a screen reader). The HTML is the printable page's own body."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

STYLESHEET = Path(__file__).resolve().parent / "report.css"


def stylesheet() -> str:
    """The PDF's CSS, handed to WeasyPrint with the HTML (no request back to the server,
    and no inline style in a template)."""
    return STYLESHEET.read_text(encoding="utf-8")


def render(html: str) -> bytes:
    """``html`` as PDF bytes, tagged for accessibility. Imports WeasyPrint only here: its
    system libraries (pango) are needed for the PDF alone."""
    from weasyprint import CSS, HTML

    document = HTML(string=html, base_url=current_app.root_path)
    pdf: bytes = document.write_pdf(stylesheets=[CSS(string=stylesheet())],
                                    pdf_variant="pdf/ua-1", pdf_tags=True)
    return pdf
