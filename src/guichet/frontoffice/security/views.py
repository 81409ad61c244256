import re

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def theme(request: HttpRequest) -> HttpResponse:
    """The authority's colours as a stylesheet: the strict CSP allows no inline <style>.

    The colours are validated #RRGGBB on the model, so nothing else can reach the CSS."""
    authority = getattr(request, "authority", None)
    if authority is None:
        raise Http404
    primary, accent = (
        colour if re.fullmatch(r"#[0-9a-fA-F]{6}", colour or "") else default
        for colour, default in (
            (authority.primary_colour, "#000091"),
            (authority.accent_colour, "#c9191e"),
        )
    )
    css = f":root {{ --primary: {primary}; --accent: {accent}; }}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response
