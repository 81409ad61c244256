"""The frontoffice pages for the public barometer."""
