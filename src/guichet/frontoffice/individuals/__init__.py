"""The frontoffice pages for civil status, social aid space, school and leisure."""
