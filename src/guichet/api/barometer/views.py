"""Open data: a published campaign's report and the authority's levels, as JSON."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from guichet.api.barometer.serializers import CampaignReportSerializer, LevelsSerializer
from guichet.api.schema import DetailSerializer
from guichet.barometer import selectors
from guichet.barometer.report import campaign_report
from guichet.tenants.models import Authority

NOT_FOUND = OpenApiResponse(
    DetailSerializer, "No such published campaign for this authority, or a platform host."
)


class OpenDataView(APIView):
    """Public and read-only: no key is asked, none is read."""

    authentication_classes: list = []
    permission_classes: list = []
    renderer_classes = [JSONRenderer]

    def host_authority(self) -> Authority:
        authority = getattr(self.request, "authority", None)
        if authority is None:
            raise Http404
        return authority


class CampaignReportView(OpenDataView):
    @extend_schema(
        operation_id="barometer_report",
        tags=["Barometer"],
        summary="A published campaign's report (aggregates only)",
        responses={200: CampaignReportSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, slug: str) -> Response:
        campaign = selectors.campaign_published(authority=self.host_authority(), slug=slug)
        return Response(campaign_report(campaign))


class LevelsView(OpenDataView):
    @extend_schema(
        operation_id="barometer_levels",
        tags=["Barometer"],
        summary="The authority's maturity levels, derived and declared",
        responses={200: LevelsSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        authority = self.host_authority()
        rows = selectors.levels_of(authority=authority)
        return Response(
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
            }
        )
