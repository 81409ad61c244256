"""Every action the apps write in the audit log has its label (the data protection
officer's access log shows `get_action_display()`)."""

import re
from pathlib import Path

import guichet
from guichet.core.models import AuditEvent
from guichet.engine import builder
from guichet.public_space.models import Report
from tests import factories

SOURCE = Path(guichet.__file__).parent


def _written_actions() -> set[str]:
    """The actions passed to `audit_record` as literals, and the report statuses that
    `public_space` writes as `report.<status>`."""
    found = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text()
        for call in re.findall(r"audit_record\((.*?)\n    \)", text, flags=re.S):
            found.update(re.findall(r'action="([^"]+)"', call))
            if 'action=f"report.{status}"' in call:
                found.update(f"report.{status}" for status in Report.Status.values)
    return found


def test_audit_actions__every_action_written_is_a_choice():
    written = _written_actions()

    assert "work_order.done" in written  # the scan sees the literals
    assert "report.fixed" in written  # and the statuses
    assert written - set(AuditEvent.Action.values) == set()


def test_audit_actions__a_procedure_change_is_labelled(city):
    admin = factories.person(city, "admin@example.fr", is_authority_admin=True)
    factories.service(city, "equipements")

    procedure = builder.procedure_create(
        authority=city,
        by=admin,
        raw={
            "code": "JARDIN",
            "slug": "jardin",
            "name": "Jardin",
            "domain": "facilities",
            "service": "equipements",
        },
    )

    event = AuditEvent.objects.get(object_id=str(procedure.pk))
    assert (event.action, event.get_action_display()) == ("procedure_changed", "démarche modifiée")
