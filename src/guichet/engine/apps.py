from django.apps import AppConfig


class EngineConfig(AppConfig):
    name = "guichet.engine"
    verbose_name = "Démarches et dossiers"
