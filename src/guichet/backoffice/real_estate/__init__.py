"""The backoffice pages for operations, phases, budget, contracts."""
