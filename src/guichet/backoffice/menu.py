"""The agents' menu: the case queue, then one group per domain the agent's services
handle, steering, administration. A group or a link shows only where the agent has
rights (its pages would answer 404 otherwise)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import User
from guichet.associations.selectors import SUBSIDY_PROCEDURE_SLUG
from guichet.engine.selectors import AgentReach, agent_reach
from guichet.facilities.selectors import facilities_for_agent
from guichet.individuals.selectors import CIVIL_STATUS_PROCEDURE, SCHOOL_SERVICE
from guichet.individuals.social_aid import AID_PROCEDURE
from guichet.privacy.selectors import is_data_protection_officer


@dataclass(frozen=True, slots=True)
class Rights:
    agent: User
    reach: AgentReach
    is_departement: bool
    is_data_protection_officer: bool

    @property
    def is_admin(self) -> bool:
        return self.agent.is_authority_admin

    def handles(self, domain: str) -> bool:
        return domain in self.reach.domains

    def instructs(self, procedure_slug: str) -> bool:
        return procedure_slug in self.reach.procedures

    def belongs_to(self, service_slug: str) -> bool:
        return self.is_admin or service_slug in self.reach.services

    def manages_a_facility(self) -> bool:
        """A service can manage a facility without any facilities procedure (the sports
        service and its gyms): one query, asked only when nothing else showed the group."""
        return facilities_for_agent(agent=self.agent).exists()


@dataclass(frozen=True, slots=True)
class Link:
    label: str | Promise
    url_name: str
    # The url names (or their prefixes) of the pages below this one: the link is then
    # marked as the current section (aria-current="true"), its own page as "page".
    section: tuple[str, ...] = ()
    shown: Callable[[Rights], bool] = lambda rights: True


@dataclass(frozen=True, slots=True)
class Group:
    key: str
    label: str | Promise
    links: tuple[Link, ...]
    shown: Callable[[Rights], bool] = lambda rights: True


def _commune(rights: Rights) -> bool:
    return not rights.is_departement


MENU = (
    Group(
        "dossiers",
        _("Dossiers"),
        (
            Link(_("Dossiers"), "queue", ("case", "transition", "correct", "message", "note")),
            Link(_("Accueil et saisie"), "intake", ("intake_procedure",)),
        ),
    ),
    Group(
        "associations",
        _("Vie associative"),
        (
            Link(
                _("Appels à projets"),
                "associations_calls",
                ("associations_call", "associations_application", "associations_eligibility"),
                lambda r: r.is_admin or r.instructs(SUBSIDY_PROCEDURE_SLUG),
            ),
            Link(_("Avis des services"), "associations_opinions", ("associations_opinion",)),
            Link(
                _("Commissions"),
                "associations_sessions",
                ("associations_session",),
                lambda r: r.is_admin or r.instructs(SUBSIDY_PROCEDURE_SLUG),
            ),
        ),
        lambda r: r.handles("associations"),
    ),
    Group(
        "individuals",
        _("Services aux particuliers"),
        (
            Link(
                _("Aide sociale"),
                "individuals_aid_queue",
                ("individuals_aid_",),
                lambda r: r.is_departement and (r.is_admin or r.instructs(AID_PROCEDURE)),
            ),
            Link(
                _("État civil"),
                "individuals_civil_status_queue",
                ("individuals_civil_status_",),
                lambda r: _commune(r) and (r.is_admin or r.instructs(CIVIL_STATUS_PROCEDURE)),
            ),
            Link(
                _("Régie"),
                "individuals_regie",
                (),
                lambda r: _commune(r) and r.belongs_to(SCHOOL_SERVICE),
            ),
            Link(
                _("Foyers et quotients"),
                "individuals_households",
                ("individuals_household",),
                lambda r: _commune(r) and r.belongs_to(SCHOOL_SERVICE),
            ),
        ),
    ),
    Group(
        "public_space",
        _("Espace public"),
        (
            Link(_("Signalements"), "public_space_reports", ("public_space_report",)),
            Link(_("Interventions"), "interventions_work_orders", ("interventions_",)),
        ),
        lambda r: r.handles("public_space"),
    ),
    Group(
        "facilities",
        _("Équipements"),
        (
            Link(
                _("Équipements"),
                "facilities_home",
                ("facilities_facility", "facilities_booking", "facilities_registry"),
            ),
            Link(_("Saisons"), "facilities_rounds", ("facilities_round", "facilities_application")),
            # Rooms and equipment lent to associations live in the registry (ADR 0023).
            Link(_("Prêts de matériel"), "facilities_loans", ("facilities_loan",)),
        ),
        lambda r: r.handles("facilities") or r.manages_a_facility(),
    ),
    Group(
        "real_estate",
        _("Patrimoine bâti"),
        (
            Link(
                _("Opérations immobilières"),
                "real_estate_operations",
                ("real_estate_operation", "real_estate_phase", "real_estate_action"),
                lambda r: r.handles("real_estate"),
            ),
            # Any service may ask for works (an internal procedure) and follow them here.
            Link(_("Travaux demandés"), "real_estate_requested"),
        ),
    ),
    Group(
        "pilotage",
        _("Pilotage"),
        (
            Link(_("Baromètre"), "barometer_dashboard", ("barometer_refresh",)),
            Link(_("Autoévaluation"), "barometer_questionnaire"),
        ),
        lambda r: r.is_admin,
    ),
    Group(
        "administration",
        _("Administration"),
        (
            Link(_("Démarches"), "builder_procedures", ("builder_",), lambda r: r.is_admin),
            Link(
                _("Catégories de signalement"),
                "public_space_categories",
                ("public_space_category",),
                lambda r: r.is_admin,
            ),
            Link(_("Clés Open311"), "public_space_api_keys", (), lambda r: r.is_admin),
            Link(
                _("RGPD"),
                "privacy_access_log",
                ("privacy_",),
                lambda r: r.is_data_protection_officer,
            ),
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class MenuLink:
    label: str
    url: str
    current: str  # "page", "true" (a page below it) or ""


@dataclass(frozen=True, slots=True)
class MenuGroup:
    key: str
    label: str
    links: tuple[MenuLink, ...]

    @property
    def is_current(self) -> bool:
        return any(link.current for link in self.links)


def _current(link: Link, url: str, request: HttpRequest) -> str:
    match = request.resolver_match
    name = match.url_name if match is not None and match.namespace == "backoffice" else None
    if name == link.url_name and request.path == url:
        return "page"
    if name is not None and (name == link.url_name or name.startswith(link.section or ("\0",))):
        return "true"
    return ""


def menu_for(request: HttpRequest) -> list[MenuGroup]:
    agent: User = request.user  # type: ignore[assignment]
    authority = getattr(request, "authority", None)
    if authority is None or not agent.is_authenticated:
        return []  # a back-office template drawn outside an authority's back office
    rights = Rights(
        agent=agent,
        reach=agent_reach(agent=agent),
        is_departement=authority.kind == "departement",
        is_data_protection_officer=is_data_protection_officer(user=agent, authority=authority),
    )
    menu = []
    for group in MENU:
        if not group.shown(rights):
            continue
        links = []
        for link in group.links:
            if not link.shown(rights):
                continue
            url = reverse(f"backoffice:{link.url_name}")
            links.append(MenuLink(str(link.label), url, _current(link, url, request)))
        if links:
            menu.append(MenuGroup(group.key, str(group.label), tuple(links)))
    return menu
