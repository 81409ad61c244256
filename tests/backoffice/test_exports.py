import csv
import io

import openpyxl
import pytest
from django.utils import timezone
from odf import teletype
from odf.opendocument import load
from odf.table import Table, TableCell, TableRow

from guichet.core.models import AuditEvent
from guichet.engine import services

HEADER = ["Numéro", "Démarche", "Statut", "Canal", "Demandeur", "Déposé le", "Agent attribué"]


@pytest.fixture
def expected_rows(filed_case, counter_case, agent):
    services.case_assign(case=counter_case, agent=agent, by=agent)

    def row(case, channel, name, assigned):
        submitted = timezone.localtime(case.submitted_at).strftime("%d/%m/%Y %H:%M")
        return [
            case.number,
            "Demande d'acte d'état civil",
            "Demande reçue",
            channel,
            name,
            submitted,
            assigned,
        ]

    return [
        row(counter_case, "Au guichet", "Jeanne Dupont", "Nadia Benali"),
        row(filed_case, "En ligne", "Camille Martin", ""),
    ]


def test_export__csv_streams_every_filtered_row(agent_client, expected_rows, agent):
    response = agent_client.get("/agents/?format=csv&page=1")

    content = b"".join(response.streaming_content).decode("utf-8")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    filename = f"dossiers-{timezone.localdate().isoformat()}.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))
    assert rows == [HEADER, *expected_rows]
    event = AuditEvent.objects.get(action=AuditEvent.Action.CASE_EXPORTED)
    assert (event.actor, event.detail) == (agent, {"count": 2, "format": "csv"})


def test_export__csv_follows_the_filters(agent_client, expected_rows):
    response = agent_client.get("/agents/?format=csv&channel=counter")

    content = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))
    assert rows == [HEADER, expected_rows[0]]


def test_export__xlsx(agent_client, expected_rows):
    response = agent_client.get("/agents/?format=xlsx")

    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = [
        ["" if value is None else value for value in row]
        for row in workbook.active.iter_rows(values_only=True)
    ]
    assert values == [HEADER, *expected_rows]
    filename = f"dossiers-{timezone.localdate().isoformat()}.xlsx"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


def test_export__ods(agent_client, expected_rows):
    response = agent_client.get("/agents/?format=ods")

    document = load(io.BytesIO(b"".join(response.streaming_content)))
    table = document.spreadsheet.getElementsByType(Table)[0]
    values = [
        [teletype.extractText(cell) for cell in row.getElementsByType(TableCell)]
        for row in table.getElementsByType(TableRow)
    ]
    assert values == [HEADER, *expected_rows]
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
