from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML


def pdf_render(*, template: str, context: dict[str, Any]) -> bytes:
    """Renders an HTML template to PDF. No URL is fetched: styles are inline."""
    html = render_to_string(template, context)
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()


def _no_fetch(url: str) -> dict[str, Any]:
    raise ValueError(f"PDF rendering does not fetch resources ({url})")
