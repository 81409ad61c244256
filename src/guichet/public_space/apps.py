from django.apps import AppConfig


class PublicSpaceConfig(AppConfig):
    name = "guichet.public_space"
