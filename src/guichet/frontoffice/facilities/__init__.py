"""The frontoffice pages for facility registry, availability, bookings."""
