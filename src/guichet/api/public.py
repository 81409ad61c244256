"""The one place where an API route is declared public (callable without a key).

Every other `api:` route must refuse a call without a valid key of the host's authority:
tests/security/test_authorisation_matrix.py checks each route it finds at run time.
Add the route's full name here, e.g. "api:open311_services", with the reason.
"""

PUBLIC_API_ROUTES: dict[str, str] = {
    # "api:<name>": "why it is public",
}
