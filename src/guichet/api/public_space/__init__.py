"""API endpoints for Open311 GeoReport v2."""
