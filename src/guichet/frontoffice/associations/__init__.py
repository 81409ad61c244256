"""The frontoffice pages for organisations, vault, subsidies, loans."""
