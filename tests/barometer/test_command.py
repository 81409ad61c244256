"""`guichet barometer create-campaign | import | report`, every format read back."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from guichet.barometer import synthetic
from guichet.barometer.models import Campaign, Respondent
from tests import factories


@pytest.fixture
def panel(tmp_path, db):
    factories.authority("reseau", kind="region")
    path = tmp_path / "panel.csv"
    path.write_bytes(synthetic.csv_bytes())
    call_command(
        "barometer",
        "create-campaign",
        "b2012",
        "--year",
        "2012",
        "--template",
        "2012",
        stdout=io.StringIO(),
    )
    err = io.StringIO()
    out = io.StringIO()
    call_command("barometer", "import", "--campaign", "b2012", str(path), stdout=out, stderr=err)
    assert out.getvalue() == "95 respondents created, 0 updated.\n"
    assert err.getvalue().endswith("[##############################] 95/95\n")
    return tmp_path


def report(tmp_path, file_format):
    path = tmp_path / f"report.{file_format}"
    call_command(
        "barometer",
        "report",
        "--campaign",
        "b2012",
        "--format",
        file_format,
        "--output",
        str(path),
        stdout=io.StringIO(),
    )
    return path


def test_create_and_import(panel):
    campaign = Campaign.objects.get()
    assert (campaign.slug, campaign.year, campaign.template) == ("b2012", 2012, "2012")
    assert Respondent.objects.count() == 95


def test_json_report_to_standard_output(panel):
    out = io.StringIO()
    call_command("barometer", "report", "--campaign", "b2012", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["items"]["q2_eservices"]["options"]["yes"]["count"] == 81
    assert data["items"]["q7_civil_status_relation"]["at_least"]["3"]["count"] == 20


def test_csv_and_xlsx_reports_read_back(panel):
    text = report(panel, "csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    yes = next(
        r
        for r in rows
        if r["item"] == "q2_eservices" and r["option"] == "yes" and r["scope"] == "all"
    )
    assert (yes["count"], yes["base"]) == ("81", "95")
    assert float(yes["ci95_low"]) == pytest.approx(0.76771401509254)
    sheet = load_workbook(report(panel, "xlsx"), read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:6] == ("item", "label", "scope", "option", "count", "base")
    apa = next(v for v in values if v[0] == "q7_apa_internal" and v[3] == "2" and v[2] == "all")
    assert apa[4:7] == (15, 20, 0.75)


def test_html_and_pdf_reports_have_the_figures(panel):
    html = report(panel, "html").read_text()
    assert "<svg" in html
    assert "85 % [77 ; 91]" in html
    pages = PdfReader(report(panel, "pdf")).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Baromètre des e-services des collectivités" in text
    assert "85 % [77 ; 91]" in text
    assert "51 % [40 ; 61]" in text  # relation with users, 41 of 81
    assert "1. Les e-services en place" in text
    assert "Méthode" in text


def test_bad_file_names_the_cell_and_imports_nothing(panel, db):
    rows = synthetic.rows()
    rows[3]["q7_canteen_online_payment"] = "yes"  # a region
    path = panel / "bad.csv"
    path.write_bytes(synthetic.csv_bytes(rows))
    call_command(
        "barometer",
        "create-campaign",
        "b2013",
        "--year",
        "2013",
        "--authority",
        "reseau",
        stdout=io.StringIO(),
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="rien n'a été importé"):
        call_command(
            "barometer",
            "import",
            "--campaign",
            "b2013",
            str(path),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "ligne 5, colonne « q7_canteen_online_payment »" in err.getvalue()
    assert Respondent.objects.filter(campaign__slug="b2013").count() == 0
