"""The barometer's demo: declared levels for each authority (some above what the cases
show, so that the dashboard has discrepancies to explain), fresh snapshots, and the
network's campaigns run from the city: 2012 (the synthetic panel, published) and this
year's (every demo authority invited, answering in the app)."""

from typing import Any

from django.utils import timezone

from guichet.barometer import services, synthetic
from guichet.barometer.models import Campaign, Declaration, NetworkOperator
from guichet.tenants.models import Authority

OPERATOR_AUTHORITY = "ville-demo"
FRAME_2012 = {
    "region": (26, 26),
    "departement": (101, 101),
    "metropole": (16, 16),
    "ville": (124, 124),
}
DECLARED = {
    "q2_eservices": "yes",
    "q3_lead": "direction_generale_elus",
    "q4_motivation": "relation_usager",
    "q5_target": "usagers",
    "q6_associations_internal": "2",
    "q6_associations_relation": "2",
    "q6_individuals_internal": "3",
    "q6_individuals_relation": "3",
    "q6_public_space_internal": "2",
    "q6_public_space_relation": "1",
    "q6_real_estate_internal": "1",
    "q6_real_estate_relation": "0",
    "q6_facilities_internal": "2",
    "q6_facilities_relation": "3",
    "q8_lag_reasons": ["culture", "cout"],
    "q10_pace": "behind_population",
    "q11_measures": ["usage", "satisfaction"],
    "q12_tools": ["parapheur"],
}


def seed(authority: Authority, people: dict[str, Any]) -> None:
    now = timezone.now()
    admin = people["admin"]
    if authority.slug == OPERATOR_AUTHORITY:
        NetworkOperator.objects.get_or_create(
            user=admin,
            defaults={"authority": authority, "network_name": "Les Interconnectés (démo)"},
        )
        if not Campaign.objects.filter(slug="barometre-2012").exists():
            campaign = services.campaign_create(
                authority=authority,
                slug="barometre-2012",
                year=2012,
                template="2012",
                name="Baromètre des e-services des collectivités 2012",
            )
            services.frame_set(campaign=campaign, frame=FRAME_2012)
            services.respondents_import(
                campaign=campaign, content=synthetic.csv_bytes(), name="panel-2012.csv"
            )
            services.campaign_publish(campaign=campaign, published=True)
    current = Campaign.objects.filter(slug=f"barometre-{now.year}").first()
    if current is None:
        operator = Authority.objects.filter(slug=OPERATOR_AUTHORITY).first() or authority
        current = services.campaign_create(
            authority=operator, slug=f"barometre-{now.year}", year=now.year, template="2012"
        )
    services.authority_invite(campaign=current, authority=authority)
    if not Declaration.objects.filter(authority=authority, year=now.year).exists():
        cells = dict(DECLARED)
        if services.stratum_of(authority) == "departement":
            cells |= {f"q7_{aid}_internal": "3" for aid in ("apa", "pch", "rsa")}
            cells |= {f"q7_{aid}_relation": "1" for aid in ("apa", "pch", "rsa")}
        else:
            cells |= {
                "q7_civil_status_relation": "3",
                "q7_canteen_online_payment": "yes",
                "q7_creche_online_payment": "no",
            }
        services.declaration_save(authority=authority, by=admin, year=now.year, cells=cells)
    services.snapshots_compute(authority=authority, now=now)
