"""The backoffice pages for the procedure builder."""
