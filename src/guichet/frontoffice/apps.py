from django.apps import AppConfig


class FrontofficeConfig(AppConfig):
    name = "guichet.frontoffice"
    verbose_name = "Espace usagers"
