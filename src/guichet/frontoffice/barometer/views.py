"""The public barometer: the authority's levels (measured and declared) and the network's
published campaign reports."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from guichet.barometer import rendering, selectors
from guichet.barometer.maturity import AXIS_LABELS
from guichet.barometer.models import Campaign
from guichet.barometer.report import campaign_report


def _authority(request: HttpRequest):
    authority = getattr(request, "authority", None)
    if authority is None:
        raise Http404
    return authority


def home(request: HttpRequest) -> HttpResponse:
    authority = _authority(request)
    domains = selectors.levels_of(authority=authority)
    for row in domains:
        for axis in row["axes"]:
            axis["label"] = AXIS_LABELS[axis["axis"]]
    return render(
        request,
        "frontoffice/barometer/home.html",
        {
            "domains": domains,
            "campaigns": Campaign.objects.filter(authority=authority, is_published=True),
        },
    )


def report(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = selectors.campaign_published(authority=_authority(request), slug=slug)
    return render(
        request,
        "frontoffice/barometer/report.html",
        {"campaign": campaign, **rendering.report_context(campaign_report(campaign))},
    )
