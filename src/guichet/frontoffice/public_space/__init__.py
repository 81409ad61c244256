"""The frontoffice pages for street reports and the public map."""
