"""Machine-facing endpoints: Open311 GeoReport v2, partner relays, the REST API."""

app_name = "api"
urlpatterns: list = []
