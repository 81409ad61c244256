"""The 2012 campaign: the synthetic panel reproduces every figure of the article."""

import io

import pytest
from openpyxl import Workbook

from guichet.barometer import services, synthetic
from guichet.barometer.models import Respondent
from guichet.barometer.report import campaign_report
from guichet.core.errors import DomainError
from tests import factories


@pytest.fixture
def network(db):
    return factories.authority("reseau", kind="region")


@pytest.fixture
def campaign(network):
    return services.campaign_create(
        authority=network, slug="barometre-2012", year=2012, template="2012"
    )


@pytest.fixture
def imported(campaign):
    services.respondents_import(campaign=campaign, content=synthetic.csv_bytes(), name="panel.csv")
    return campaign


def triple(block, count, base, low, high):
    assert block["count"] == count
    assert block["share"] == pytest.approx(count / base, abs=1e-15)
    assert block["ci95"] == pytest.approx([low, high], abs=1e-12)


def test_the_synthetic_panel_gives_the_2012_figures(imported):
    report = campaign_report(imported)
    items = report["items"]
    assert report["respondents"] == 95
    assert {s: f["respondents"] for s, f in report["frame"].items()} == {
        "region": 5,
        "departement": 20,
        "metropole": 10,
        "ville": 60,
    }
    assert items["authority_type"]["options"]["ville"]["count"] == 60
    # 85 % have e-services.
    assert items["q2_eservices"]["base"] == 95
    triple(items["q2_eservices"]["options"]["yes"], 81, 95, 0.76771401509254, 0.9101391934638317)
    assert round(items["q2_eservices"]["options"]["yes"]["share"], 2) == 0.85
    # Among those, 60 % led by general management and elected members, 51 % relation, 54/10 %.
    assert items["q3_lead"]["base"] == 81
    triple(
        items["q3_lead"]["options"]["direction_generale_elus"],
        49,
        81,
        0.4960547732360616,
        0.7043189619200981,
    )
    triple(
        items["q4_motivation"]["options"]["relation_usager"],
        41,
        81,
        0.3995078470731794,
        0.6122788432301242,
    )
    triple(items["q5_target"]["options"]["usagers"], 44, 81, 0.4352401589667706, 0.647266673156354)
    triple(
        items["q5_target"]["options"]["agents"], 8, 81, 0.050900116268798375, 0.18296501401647303
    )
    assert [round(items["q5_target"]["options"][o]["share"], 2) for o in ("usagers", "agents")] == [
        0.54,
        0.10,
    ]
    # Aid procedures (départements only): 75 % internal vs 20 % relation at level ≥ 2.
    for aid in ("apa", "pch", "rsa"):
        internal, relation = items[f"q7_{aid}_internal"], items[f"q7_{aid}_relation"]
        assert internal["base"] == relation["base"] == 20
        assert list(internal["by_stratum"]) == ["departement"]
        triple(internal["at_least"]["2"], 15, 20, 0.531299122381256, 0.8881382985923343)
        triple(relation["at_least"]["2"], 4, 20, 0.08065766257979808, 0.41601743225189364)
    # Civil status (cities): 65 % at least partly, a third totally.
    civil = items["q7_civil_status_relation"]
    assert civil["base"] == 60
    triple(civil["at_least"]["2"], 39, 60, 0.5236261884175488, 0.7583222559398243)
    triple(civil["at_least"]["3"], 20, 60, 0.22729261523522687, 0.45943133547880305)
    # A third offer online payment of the canteen.
    triple(
        items["q7_canteen_online_payment"]["options"]["yes"],
        20,
        60,
        0.22729261523522687,
        0.45943133547880305,
    )


def test_by_stratum_and_small_sample_flags(imported):
    items = campaign_report(imported)["items"]
    by_stratum = items["q2_eservices"]["by_stratum"]
    assert {s: b["base"] for s, b in by_stratum.items()} == {
        "region": 5,
        "departement": 20,
        "metropole": 10,
        "ville": 60,
    }
    assert by_stratum["region"]["options"]["yes"]["count"] == 5
    assert by_stratum["region"]["as_fraction"]
    assert not by_stratum["region"]["suppressed"]
    assert by_stratum["ville"]["options"]["yes"]["count"] == 49
    assert not by_stratum["ville"]["as_fraction"]


def test_multiple_choices_are_counted_over_the_base(imported):
    item = campaign_report(imported)["items"]["q9_impacts"]
    assert item["base"] == 95
    assert item["options"]["organisation"]["count"] == 95
    assert item["options"]["economies"]["count"] == 47  # odd positions 1, 3, … 93
    assert item["options"]["surcouts"]["count"] == 0


def test_weighted_figures_with_a_frame(imported):
    services.frame_set(
        campaign=imported,
        frame={
            "region": (13, 13),
            "departement": (101, 60),
            "metropole": (21, 21),
            "ville": (120, 120),
        },
    )
    weighted = campaign_report(imported)["items"]["q2_eservices"]["weighted"]
    # p_h: regions 5/5, départements 18/20, métropoles 9/10, villes 49/60.
    share = (13 * 1 + 101 * 0.9 + 21 * 0.9 + 120 * 49 / 60) / 255
    variance = (
        (101 / 255) ** 2 * (1 - 20 / 101) * 0.9 * 0.1 / 19
        + (21 / 255) ** 2 * (1 - 10 / 21) * 0.9 * 0.1 / 9
        + (120 / 255) ** 2 * (1 - 60 / 120) * (49 / 60) * (11 / 60) / 59
    )
    assert weighted["population"] == 255
    assert weighted["options"]["yes"]["share"] == pytest.approx(share, abs=1e-12)
    assert weighted["options"]["yes"]["variance"] == pytest.approx(variance, abs=1e-15)


def test_reimport_updates_never_duplicates(imported):
    rows = synthetic.rows()
    rows[0]["q2_eservices"] = "no"
    for code in ("q3_lead", "q4_motivation", "q5_target"):
        rows[0].pop(code)
    counts = services.respondents_import(
        campaign=imported, content=synthetic.csv_bytes(rows[:1]), name="again.csv"
    )
    assert counts == {"created": 0, "updated": 1}
    assert Respondent.objects.filter(campaign=imported).count() == 95
    assert campaign_report(imported)["items"]["q2_eservices"]["options"]["yes"]["count"] == 80


def test_one_bad_cell_imports_nothing_and_names_it(campaign):
    rows = synthetic.rows()
    rows[41]["q10_pace"] = "slow"
    with pytest.raises(services.ImportRejected) as raised:
        services.respondents_import(
            campaign=campaign, content=synthetic.csv_bytes(rows), name="x.csv"
        )
    assert Respondent.objects.count() == 0
    [error] = raised.value.errors
    assert (error.row, error.column, error.value) == (43, "q10_pace", "slow")
    assert error.allowed == ("adequate", "behind_internal_needs", "behind_population")
    assert str(error) == (
        "ligne 43, colonne « q10_pace » : valeur non permise "
        "(valeurs permises : adequate, behind_internal_needs, behind_population)"
    )


def test_not_applicable_items_and_bad_multiple_choice_are_refused(campaign):
    rows = synthetic.rows()
    rows[0]["q7_apa_internal"] = 2  # a region
    rows[1]["q8_lag_reasons"] = ["cout", "meteo"]
    with pytest.raises(services.ImportRejected) as raised:
        services.respondents_import(
            campaign=campaign, content=synthetic.csv_bytes(rows), name="x.csv"
        )
    assert [(e.row, e.column) for e in raised.value.errors] == [
        (2, "q7_apa_internal"),
        (3, "q8_lag_reasons"),
    ]


def test_xlsx_import(campaign):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["respondent", "authority_type", "q2_eservices", "q6_facilities_internal"])
    sheet.append(["lyon", "metropole", "yes", 3])
    sheet.append(["dijon", "ville", "no", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    counts = services.respondents_import(
        campaign=campaign, content=buffer.getvalue(), name="a.xlsx"
    )
    assert counts == {"created": 2, "updated": 0}
    assert Respondent.objects.get(key="lyon").answers == {
        "authority_type": "metropole",
        "q2_eservices": "yes",
        "q6_facilities_internal": 3,
    }


def test_unknown_template_and_duplicate_slug(network, campaign):
    with pytest.raises(DomainError):
        services.campaign_create(authority=network, slug="x", year=2013, template="1999")
    with pytest.raises(DomainError):
        services.campaign_create(
            authority=network, slug="barometre-2012", year=2013, template="2012"
        )


def test_year_over_year(imported, network):
    later = services.campaign_create(
        authority=network, slug="barometre-2013", year=2013, template="2012"
    )
    rows = synthetic.rows()
    for answers in rows[:10]:
        answers["q10_pace"] = "adequate"
    services.respondents_import(campaign=later, content=synthetic.csv_bytes(rows), name="p.csv")
    report = campaign_report(later)
    assert report["previous"] == {
        "slug": "barometre-2012",
        "year": 2012,
        "respondents": 95,
        "method_breaks": [],
    }
    pace = report["items"]["q10_pace"]["previous"]["options"]["adequate"]
    # Rows 0-9: positions 0, 3, 6, 9 already adequate; 6 gained.
    assert pace["paired"]["gained"] == 6
    assert pace["paired"]["lost"] == 0
    assert pace["difference"] == pytest.approx(6 / 95)
