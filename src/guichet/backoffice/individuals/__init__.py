"""The backoffice pages for civil status, social aid, school and leisure."""
