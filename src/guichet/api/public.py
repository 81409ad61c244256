"""The one place where an API route is declared public (callable without a key).

Every other `api:` route must refuse a call without a valid key of the host's authority:
tests/security/test_authorisation_matrix.py checks each route it finds at run time.
Add the route's full name here, e.g. "api:open311_services", with the reason.
"""

PUBLIC_API_ROUTES: dict[str, str] = {
    # "api:<name>": "why it is public",
    # Open311 GeoReport v2: reading is open to anyone by the standard (the public map's
    # data); filing a request (POST requests) asks for a key in the view itself.
    **{
        f"api:public_space_open311:open311_{name}": "Open311: public reading, keyed filing"
        for name in ("discovery", "services", "service", "requests", "request", "token", "updates")
    },
    "api:barometer_report": "a campaign report the network published: open data, aggregates only",
    "api:schema": "the OpenAPI description of the API: says what exists, returns no data",
    "api:docs": "the same description as a page",
    "api:barometer_levels": "the authority's maturity levels, shown on its public barometer page",
}
