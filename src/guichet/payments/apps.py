from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "guichet.payments"

    def ready(self) -> None:
        from guichet.payments import checks  # noqa: F401  (registers the system checks)
