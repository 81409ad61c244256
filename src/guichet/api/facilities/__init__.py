"""API endpoints for calendar feeds."""
