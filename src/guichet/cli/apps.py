from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "guichet.cli"
    verbose_name = "Commandes"
