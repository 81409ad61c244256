"""The frontoffice pages for personal data: export, erasure requests."""
