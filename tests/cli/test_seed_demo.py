from django.core.management import call_command

from guichet.accounts.models import Membership, Service, User
from guichet.engine.models import (
    CannedReply,
    Case,
    CaseTransition,
    Deadline,
    Procedure,
    ProcedureVersion,
)
from guichet.tenants.models import Authority, AuthorityHost

MODELS = (
    Authority,
    AuthorityHost,
    User,
    Service,
    Membership,
    Procedure,
    ProcedureVersion,
    CannedReply,
    Case,
    CaseTransition,
    Deadline,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_demo__twice_gives_the_same_demo(db):
    call_command("seed_demo", verbosity=0)
    first = _counts()

    call_command("seed_demo", verbosity=0)

    assert _counts() == first
    assert first["Authority"] == first["AuthorityHost"] >= 2
    assert (first["Authority"], first["AuthorityHost"]) == (2, 2)
    per_authority = [Case.objects.filter(authority=a).count() for a in Authority.objects.all()]
    assert per_authority[0] == per_authority[1] == first["Case"] // 2
    published = ProcedureVersion.objects.filter(published_at__isnull=False)
    assert set(published.values_list("number", flat=True)) == {1}
    assert ProcedureVersion.objects.filter(number__gt=1).count() == 0
