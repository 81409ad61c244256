from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    name = "guichet.facilities"

    def ready(self) -> None:
        # Connects the receiver closing problem reports when their work order is done.
        from guichet.facilities import services
        from guichet.payments.services import settler_register

        # A paid booking is settled by payments, in the transaction that records the payment.
        settler_register(purpose=services.BOOKING_PURPOSE, settle=services.booking_settle)
