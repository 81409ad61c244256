from django.apps import AppConfig


class PublicSpaceConfig(AppConfig):
    name = "guichet.public_space"

    def ready(self) -> None:
        from guichet.public_space import services  # noqa: F401 - connects the receivers
