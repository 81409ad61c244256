from django.apps import AppConfig


class IndividualsConfig(AppConfig):
    name = "guichet.individuals"

    def ready(self) -> None:
        from guichet.individuals.school import INVOICE_PURPOSE, invoice_settle
        from guichet.payments.services import settler_register

        # A paid invoice is settled by payments, in the transaction that records the payment.
        settler_register(purpose=INVOICE_PURPOSE, settle=invoice_settle)
