from guichet.payments.models import Payment, Regie
from guichet.tenants.models import Authority


def regie_for(*, authority: Authority, slug: str) -> Regie | None:
    return Regie.objects.filter(authority=authority, slug=slug).first()


def payment_get(*, authority: Authority, reference: str) -> Payment | None:
    return (
        Payment.objects.select_related("regie")
        .filter(authority=authority, reference=reference)
        .first()
    )
