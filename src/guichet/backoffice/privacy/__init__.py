"""The backoffice pages for RGPD register, DPO requests."""
