from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "guichet.security"

    def ready(self) -> None:
        from guichet.security import sessions  # noqa: F401  (signal receivers)
