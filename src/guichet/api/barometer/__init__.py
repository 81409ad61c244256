"""API endpoints for indicators and reports."""
