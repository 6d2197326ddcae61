"""The after-action report as PDF: the report's HTML laid out by WeasyPrint
(Pango from the system: Debian's libpango-1.0-0 and libpangoft2-1.0-0),
A4, page numbers from the stylesheet's @page rules, fonts embedded."""

from __future__ import annotations


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the Pango it needs is not installed."""


def available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # OSError: the Pango library is missing
        return False
    return True


def pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML document (no resource is fetched:
    the report has none, and a url_fetcher that refuses keeps it so)."""
    try:
        import weasyprint
    except (ImportError, OSError) as e:
        raise PdfUnavailable("PDF output needs WeasyPrint and Pango (install the 'report' "
                             f"extra and the Debian package libpango-1.0-0): {e}") from None

    def refuse(url: str, *args: object, **kwargs: object) -> dict[str, object]:
        raise ValueError(f"the report loads nothing: {url}")

    out: bytes = weasyprint.HTML(string=html, url_fetcher=refuse).write_pdf()
    return out
