"""The frontoffice pages for public pages of operations."""
