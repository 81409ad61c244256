"""The backoffice pages for second factor, API keys."""
