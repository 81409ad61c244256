from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "guichet.tenants"
    verbose_name = "Collectivités"
