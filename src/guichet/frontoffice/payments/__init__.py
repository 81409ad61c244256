"""Pages of online payment shared by the domains: the provider's return, its server
notification, and the local fake bank of the demo and tests."""
