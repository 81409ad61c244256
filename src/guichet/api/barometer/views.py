"""Open data: a published campaign's report and the authority's levels, as JSON."""

from django.http import Http404, HttpRequest, JsonResponse

from guichet.barometer import selectors
from guichet.barometer.report import campaign_report


def report(request: HttpRequest, slug: str) -> JsonResponse:
    authority = getattr(request, "authority", None)
    if authority is None:
        raise Http404
    campaign = selectors.campaign_published(authority=authority, slug=slug)
    return JsonResponse(campaign_report(campaign), json_dumps_params={"ensure_ascii": False})


def levels(request: HttpRequest) -> JsonResponse:
    authority = getattr(request, "authority", None)
    if authority is None:
        raise Http404
    rows = selectors.levels_of(authority=authority)
    return JsonResponse(
        {
            "authority": authority.slug,
            "domains": {
                row["domain"]: {
                    axis["axis"]: {
                        "derived": axis["derived"],
                        "declared": axis["declared"],
                        "reasons": [str(r) for r in axis["reasons"]],
                    }
                    for axis in row["axes"]
                }
                for row in rows
            },
        },
        json_dumps_params={"ensure_ascii": False},
    )
