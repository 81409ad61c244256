from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "guichet.core"
    verbose_name = "Core"
