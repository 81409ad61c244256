"""The demo agents' second factor: a TOTP device each, whose current code
`guichet demo_totp` prints (the demo has no phone to scan a key)."""

from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.security.otp import DEVICE_NAME


def seed(authority: Any, people: dict[str, Any]) -> None:
    for person in people.values():
        if person.is_agent and not TOTPDevice.objects.filter(user=person, confirmed=True).exists():
            TOTPDevice.objects.create(user=person, name=DEVICE_NAME, confirmed=True)
