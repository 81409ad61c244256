"""The backoffice pages for dashboard, questionnaire, campaigns."""
