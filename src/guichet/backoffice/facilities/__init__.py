"""The backoffice pages for registry, bookings, season rounds."""
