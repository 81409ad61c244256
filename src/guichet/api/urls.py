"""Machine-facing endpoints: Open311 GeoReport v2, partner relays, the REST API."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from guichet.api.docs import api_docs

app_name = "api"

# Each domain's endpoints, in its own module (one file per domain, no shared list to edit).
urlpatterns = [
    path("", include("guichet.api.individuals.urls")),
    path("", include("guichet.api.public_space.urls")),
    path("", include("guichet.api.facilities.urls")),
    path("", include("guichet.api.real_estate.urls")),
    path("", include("guichet.api.barometer.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", api_docs, name="docs"),
]
