"""Dashboard, self-assessment, campaigns, public barometer and API: access, isolation,
downloads read back."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from guichet.barometer import services, synthetic
from guichet.barometer.models import Campaign, Declaration, NetworkOperator, Respondent
from tests import factories


@pytest.fixture
def city_admin(city, procedure):
    user = factories.person(city, "admin@ville-a.fr", is_authority_admin=True)
    return user


@pytest.fixture
def operator(city_admin, city):
    NetworkOperator.objects.create(
        authority=city, user=city_admin, network_name="Les Interconnectés"
    )
    return city_admin


@pytest.fixture
def campaign(city):
    made = services.campaign_create(authority=city, slug="b2012", year=2012, template="2012")
    services.respondents_import(campaign=made, content=synthetic.csv_bytes(), name="p.csv")
    return made


@pytest.fixture
def foreign_campaign(other_city):
    return services.campaign_create(
        authority=other_city, slug="ailleurs", year=2012, template="2012"
    )


def test_dashboard_for_the_authority_administrator(city_client, city_admin, filed_case, city):
    services.snapshots_compute(authority=city, now=filed_case.submitted_at)
    city_client.force_login(city_admin)
    page = city_client.get("/agents/barometre/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html
    assert "Dépôt en ligne (K1) par période" in html
    assert "non mesurable : aucune somme facturée dans la période" in html
    assert "Paiement en ligne (K4) par période" in html
    assert "Services aux particuliers" in html


def test_dashboard_downloads_read_back(city_client, city_admin, filed_case, city):
    services.snapshots_compute(authority=city, now=filed_case.submitted_at)
    city_client.force_login(city_admin)
    year = filed_case.submitted_at.year
    response = city_client.get("/agents/barometre/?period=year&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["scope", "scope_label", "period_start", "indicator"]
    k1 = next(r for r in rows if r[0] == "all" and r[3] == "K1" and r[2] == f"{year}-01-01")
    assert k1[6:8] == ["1", "1"]
    response = city_client.get("/agents/barometre/?period=year&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "scope"
    assert any(v[3] == "K4" and v[5] is False for v in values[1:])


def test_refresh_on_demand(
    city_client, city_admin, filed_case, city, django_capture_on_commit_callbacks
):
    city_client.force_login(city_admin)
    with django_capture_on_commit_callbacks(execute=True):
        with_tasks = city_client.post("/agents/barometre/recalculer/")
    assert with_tasks.status_code == 302
    assert city.snapshot_set.filter(scope="all", period="year").exists()


@pytest.mark.parametrize("url", ["/agents/barometre/", "/agents/barometre/questionnaire/"])
def test_agents_who_are_not_administrators_get_404(city_client, agent, url):
    city_client.force_login(agent)
    assert city_client.get(url).status_code == 404


def test_questionnaire_prefilled_from_derived_levels_then_saved(city_client, city_admin, city):
    city_client.force_login(city_admin)
    page = city_client.get("/agents/barometre/questionnaire/")
    assert page.status_code == 200
    # No case in the facilities domain's procedures: derived level 0 preselected.
    assert page.context["form"].initial["q6_public_space_relation"] == 0
    assert "q7_civil_status_relation" in page.context["form"].fields  # a city
    assert "q7_apa_internal" not in page.context["form"].fields
    response = city_client.post(
        "/agents/barometre/questionnaire/",
        {
            "q2_eservices": "yes",
            "q3_lead": "dsi",
            "q6_individuals_relation": "3",
            "q12_tools": ["parapheur", "signature"],
        },
    )
    assert response.status_code == 302
    declaration = Declaration.objects.get(authority=city)
    assert declaration.answers == {
        "authority_type": "ville",
        "q2_eservices": "yes",
        "q3_lead": "dsi",
        "q6_individuals_relation": 3,
        "q12_tools": ["parapheur", "signature"],
    }


def test_questionnaire_error_keeps_the_answers(city_client, city_admin):
    city_client.force_login(city_admin)
    response = city_client.post(
        "/agents/barometre/questionnaire/",
        {"q2_eservices": "no", "q3_lead": "dsi", "q10_pace": "adequate"},
    )
    assert response.status_code == 200
    assert "question sans objet pour ce répondant" in response.content.decode()
    assert response.context["form"]["q10_pace"].value() == "adequate"
    assert not Declaration.objects.exists()


def test_invited_authority_answers_in_the_app(city_client, city_admin, city, other_city):
    campaign = services.campaign_create(authority=other_city, slug="c", year=2026, template="2012")
    services.authority_invite(campaign=campaign, authority=city)
    city_client.force_login(city_admin)
    city_client.post("/agents/barometre/questionnaire/", {"q2_eservices": "yes"})
    respondent = Respondent.objects.get(campaign=campaign)
    assert (respondent.key, respondent.source, respondent.authority) == ("ville-a", "app", city)


def test_campaign_pages_for_the_network_operator(city_client, operator, campaign):
    city_client.force_login(operator)
    assert city_client.get("/agents/barometre/campagnes/").status_code == 200
    page = city_client.get(f"/agents/barometre/campagnes/{campaign.pk}/")
    assert page.status_code == 200
    assert "85 % [77 ; 91]" in page.content.decode()
    pdf = city_client.get(f"/agents/barometre/campagnes/{campaign.pk}/?format=pdf")
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "60 % [50 ; 70]" in text  # q3: 49 of 81
    data = json.loads(
        city_client.get(f"/agents/barometre/campagnes/{campaign.pk}/?format=json").content
    )
    assert data["items"]["q2_eservices"]["base"] == 95


def test_campaign_creation_twice_makes_one(city_client, operator):
    city_client.force_login(operator)
    data = {"slug": "b2026", "name": "", "year": "2026", "template": "2012"}
    assert city_client.post("/agents/barometre/campagnes/", data).status_code == 302
    again = city_client.post("/agents/barometre/campagnes/", data)
    assert again.status_code == 200
    assert "existe déjà" in again.content.decode()
    assert Campaign.objects.filter(slug="b2026").count() == 1


def test_import_page_names_the_bad_cell(city_client, operator, city):
    campaign = services.campaign_create(authority=city, slug="vide", year=2013, template="2012")
    rows = synthetic.rows()
    rows[0]["q2_eservices"] = "peut-être"
    upload = io.BytesIO(synthetic.csv_bytes(rows))
    upload.name = "panel.csv"
    city_client.force_login(operator)
    response = city_client.post(
        f"/agents/barometre/campagnes/{campaign.pk}/import/", {"file": upload}
    )
    assert response.status_code == 400
    assert (
        "ligne 2, colonne « q2_eservices » : valeur non permise (valeurs permises : yes, no)"
        in (response.content.decode())
    )
    assert not Respondent.objects.filter(campaign=campaign).exists()


def test_frame_and_publication(city_client, operator, campaign, client):
    city_client.force_login(operator)
    city_client.post(
        f"/agents/barometre/campagnes/{campaign.pk}/base/",
        {
            "region_population": "13",
            "departement_population": "101",
            "metropole_population": "21",
            "ville_population": "120",
        },
    )
    assert campaign.frame.count() == 4
    assert client.get("/barometre/b2012/", HTTP_HOST="ville-a.localhost").status_code == 404
    city_client.post(f"/agents/barometre/campagnes/{campaign.pk}/publier/", {"published": "1"})
    public = client.get("/barometre/b2012/", HTTP_HOST="ville-a.localhost")
    assert public.status_code == 200
    assert "Pondéré" in public.content.decode()
    data = client.get("/api/barometre/b2012.json", HTTP_HOST="ville-a.localhost").json()
    assert data["items"]["q2_eservices"]["weighted"]["population"] == 255


@pytest.mark.parametrize("suffix", ["", "import/", "base/", "inviter/", "publier/"])
def test_another_authoritys_campaign_is_404(city_client, operator, foreign_campaign, suffix):
    city_client.force_login(operator)
    url = f"/agents/barometre/campagnes/{foreign_campaign.pk}/{suffix}"
    response = city_client.post(url, {}) if suffix else city_client.get(url)
    assert response.status_code == 404


def test_published_campaign_of_another_authority_is_404(client, foreign_campaign, city):
    services.campaign_publish(campaign=foreign_campaign, published=True)
    assert client.get("/barometre/ailleurs/", HTTP_HOST="ville-a.localhost").status_code == 404
    assert (
        client.get("/api/barometre/ailleurs.json", HTTP_HOST="ville-a.localhost").status_code == 404
    )
    assert client.get("/barometre/ailleurs/", HTTP_HOST="ville-b.localhost").status_code == 200


def test_campaigns_need_an_operator(city_client, city_admin, agent, campaign):
    city_client.force_login(city_admin)
    response = city_client.get("/agents/barometre/campagnes/")
    assert response.status_code == 302
    assert response["Location"] == "/agents/barometre/"
    assert city_client.get(f"/agents/barometre/campagnes/{campaign.pk}/").status_code == 404
    city_client.force_login(agent)
    assert city_client.get("/agents/barometre/campagnes/").status_code == 404


def test_public_levels(client, city, procedure):
    page = client.get("/barometre/", HTTP_HOST="ville-a.localhost")
    assert page.status_code == 200
    data = client.get("/api/barometre/niveaux.json", HTTP_HOST="ville-a.localhost").json()
    assert data["domains"]["public_space"]["relation"]["derived"] == 0
    assert data["domains"]["individuals"]["relation"]["reasons"] == ["pas encore calculé"]


def test_dashboard_and_report_speak_english_on_request(
    city_client, operator, campaign, filed_case, city
):
    from django.core.management import call_command

    call_command("translations_compile")
    services.snapshots_compute(authority=city, now=filed_case.submitted_at)
    city_client.force_login(operator)
    city_client.post("/i18n/setlang/", {"language": "en", "next": "/agents/"})
    page = city_client.get("/agents/barometre/").content.decode()
    assert "<h1>The authority's barometer</h1>" in page
    assert "not measurable: nothing billed in the period" in page
    report = city_client.get(f"/agents/barometre/campagnes/{campaign.pk}/").content.decode()
    assert "1. The e-services in place" in report
    assert "Are e-government services in place?" in report
    assert "at least one procedure can be filed online" in page


def test_dashboard_per_scope(city_client, city_admin, filed_case, city, other_city):
    services.snapshots_compute(authority=city, now=filed_case.submitted_at)
    city_client.force_login(city_admin)
    procedure_scope = f"procedure:{filed_case.procedure_id}"
    page = city_client.get(f"/agents/barometre/?period=year&scope={procedure_scope}")
    assert page.context["scope"] == procedure_scope
    assert "Périmètre : Demande d&#x27;acte d&#x27;état civil." in page.content.decode()
    foreign = factories.civil_status_procedure(other_city)
    page = city_client.get(f"/agents/barometre/?scope=procedure:{foreign.pk}")
    assert page.context["scope"] == "all"


def test_invited_authority_sees_the_invitation(city_client, city_admin, city, other_city):
    campaign = services.campaign_create(authority=other_city, slug="c", year=2026, template="2012")
    services.authority_invite(campaign=campaign, authority=city)
    city_client.force_login(city_admin)
    page = city_client.get("/agents/barometre/").content.decode()
    assert "Vous êtes invité à la campagne « Baromètre 2026 »" in page


def test_an_empty_questionnaire_is_saved_as_empty(city_client, city_admin, city):
    city_client.force_login(city_admin)
    assert city_client.post("/agents/barometre/questionnaire/", {}).status_code == 302
    assert Declaration.objects.get(authority=city).answers == {"authority_type": "ville"}
