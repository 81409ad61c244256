from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML

try:  # WeasyPrint ≥ 68 takes a fetcher object; a plain function breaks on the first refusal.
    from weasyprint.urls import URLFetcher
except ImportError:  # pragma: no cover - older WeasyPrint
    URLFetcher = None


def pdf_render(*, template: str, context: dict[str, Any]) -> bytes:
    """Renders an HTML template to PDF. No URL is fetched (styles are inline): neither the
    network nor local files, whatever a template or an answer may reference."""
    html = render_to_string(template, context)
    return HTML(string=html, url_fetcher=_url_fetcher()).write_pdf()


def _url_fetcher() -> Any:
    if URLFetcher is not None:
        return URLFetcher(allowed_protocols={"data"})
    return _no_fetch


def _no_fetch(url: str) -> dict[str, Any]:
    raise ValueError(f"PDF rendering does not fetch resources ({url})")
