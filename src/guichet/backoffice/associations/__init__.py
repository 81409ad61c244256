"""The backoffice pages for subsidy instruction, opinions, committees."""
