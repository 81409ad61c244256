from typing import Any

from django.core.management.base import BaseCommand
from django_otp.plugins.otp_totp.models import TOTPDevice

from guichet.security.otp import totp_now


class Command(BaseCommand):
    help = (
        "Prints the current second-factor code of each agent who has one "
        "(the demo: codes change every 30 seconds)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email", help="only this agent (e-mail)")

    def handle(self, *args: Any, email: str | None = None, **options: Any) -> None:
        devices = TOTPDevice.objects.filter(confirmed=True).select_related(
            "user", "user__authority"
        )
        if email:
            devices = devices.filter(user__email__iexact=email)
        for device in devices.order_by("user__authority__slug", "user__email"):
            user = device.user
            slug = user.authority.slug if user.authority else "-"
            self.stdout.write(f"{slug:24} {user.email:40} {totp_now(device)}")
