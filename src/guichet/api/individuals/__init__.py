"""API endpoints for partner relay intake."""
