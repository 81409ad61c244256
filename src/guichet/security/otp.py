"""Agents' second factor: one TOTP device per agent (django-otp), made and confirmed here."""

from typing import Any

from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Guichet"


def totp_device_confirmed(*, user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_device_pending(*, user: Any) -> TOTPDevice:
    """The device an agent is enrolling: the same one until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def totp_verify(*, user: Any, token: str) -> TOTPDevice | None:
    """The confirmed device that accepts `token` (each code works once), or None."""
    token = "".join((token or "").split())
    if not token.isdigit():
        return None
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(token):
            return device
    return None


def totp_confirm(*, user: Any, token: str) -> TOTPDevice | None:
    """Confirms the pending device if `token` is right; the old devices go."""
    token = "".join((token or "").split())
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not token.isdigit() or not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def totp_secret_base32(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


def totp_now(device: TOTPDevice) -> str:
    """The code the device shows now (the demo's `guichet demo_totp`)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"
