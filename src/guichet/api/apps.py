from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "guichet.api"

    def ready(self) -> None:
        # Registers the OpenAPI description of API keys (drf-spectacular extension).
        from guichet.api import schema  # noqa: F401
