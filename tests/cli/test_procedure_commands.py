import io

import pytest
import yaml
from django.core.management import CommandError, call_command

from guichet.engine.models import ProcedureVersion
from tests import factories

CIVIL_STATUS = factories.PROCEDURES / "individuals/procedures/civil_status_certificate.yaml"


def test_procedure_import__command_publishes_then_export_prints_the_same_yaml(city):
    factories.service(city, "etat-civil")
    out = io.StringIO()

    call_command("procedure_import", str(CIVIL_STATUS), authority="ville-a", stdout=out)
    call_command("procedure_import", str(CIVIL_STATUS), authority="ville-a", stdout=out)
    exported = io.StringIO()
    call_command("procedure_export", "acte-etat-civil", authority="ville-a", stdout=exported)

    assert out.getvalue().splitlines() == [
        "Demande d'acte d'état civil: version 1",
        "Demande d'acte d'état civil: version 1",
    ]
    assert yaml.safe_load(exported.getvalue()) == yaml.safe_load(CIVIL_STATUS.read_text())


def test_procedure_import__command_reports_an_invalid_definition_and_writes_nothing(city, tmp_path):
    factories.service(city, "etat-civil")
    raw = yaml.safe_load(CIVIL_STATUS.read_text())
    broken = len(raw["fields"])
    raw["fields"].append({"name": "x", "type": "hologram"})
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True))

    with pytest.raises(
        CommandError, match=rf"fields\[{broken}\]\.type : Type de champ inconnu : hologram\."
    ):
        call_command("procedure_import", str(path), authority="ville-a")

    assert ProcedureVersion.objects.count() == 0


def test_procedure_commands__refuse_an_unknown_authority(city):
    with pytest.raises(CommandError, match="Unknown authority 'nulle-part'"):
        call_command("procedure_import", str(CIVIL_STATUS), authority="nulle-part")
    with pytest.raises(CommandError, match="No procedure 'acte-etat-civil' in 'ville-a'"):
        call_command("procedure_export", "acte-etat-civil", authority="ville-a")
