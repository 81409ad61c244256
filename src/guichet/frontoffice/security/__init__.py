"""The frontoffice pages for FranceConnect and OIDC login, account security."""
