"""Open311 GeoReport v2 routes, served at `/open311/v2/` (and `/api/open311/v2/`)."""

from django.urls import re_path

from guichet.api.public_space import views

FORMAT = r"\.(?P<format>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FORMAT, views.Discovery.as_view(), name="open311_discovery"),
    re_path(r"^services" + FORMAT, views.ServiceList.as_view(), name="open311_services"),
    re_path(
        r"^services/(?P<service_code>[-\w]+)" + FORMAT,
        views.ServiceDefinition.as_view(),
        name="open311_service",
    ),
    re_path(r"^requests" + FORMAT, views.RequestList.as_view(), name="open311_requests"),
    re_path(
        r"^requests/(?P<service_request_id>[-\w]+)" + FORMAT,
        views.RequestDetail.as_view(),
        name="open311_request",
    ),
    re_path(
        r"^tokens/(?P<token>[-\w]+)" + FORMAT, views.TokenDetail.as_view(), name="open311_token"
    ),
    re_path(r"^servicerequestupdates" + FORMAT, views.UpdateList.as_view(), name="open311_updates"),
]
