"""API endpoints for open data of operations."""
