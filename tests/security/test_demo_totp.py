import io

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.cli.demo_seeds import security as demo_security
from guichet.security import otp

pytestmark = pytest.mark.django_db


def test_demo_totp__prints_a_code_the_back_office_accepts(agent, resident, city):
    demo_security.seed(city, {"agent": agent, "camille": resident})
    demo_security.seed(city, {"agent": agent, "camille": resident})  # idempotent
    out = io.StringIO()

    call_command("demo_totp", stdout=out)

    line = out.getvalue().strip()
    slug, email, code = line.split()
    assert (slug, email) == ("ville-a", "agent@example.fr")
    assert TOTPDevice.objects.filter(user=agent).count() == 1
    assert TOTPDevice.objects.filter(user=resident).count() == 0
    assert otp.totp_verify(user=agent, token=code) is not None
