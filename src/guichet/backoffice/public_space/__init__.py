"""The backoffice pages for triage, work orders."""
