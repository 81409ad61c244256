from django.apps import AppConfig


class RealEstateConfig(AppConfig):
    name = "guichet.real_estate"
