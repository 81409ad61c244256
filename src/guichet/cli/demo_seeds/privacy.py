"""The demo's data protection officer: the authority's administrator's colleague, the
manager (`responsable@…`), so that the access log and the register have a reader."""

from typing import Any

from guichet.privacy.models import DataProtectionOfficer


def seed(authority: Any, people: dict[str, Any]) -> None:
    officer = people.get("responsable")
    if officer is not None:
        DataProtectionOfficer.objects.get_or_create(authority=authority, user=officer)
