"""Pages of online payment shared by the domains: the provider's return, its server
notification, and the local stand-in of the dummy payment service (demo and tests)."""
