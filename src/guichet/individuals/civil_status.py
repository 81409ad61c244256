"""Who may obtain which civil-status certificate (décret n° 2017-890 du 6 mai 2017, art. 30
and 31; code du patrimoine, art. L213-2). A pure rule: the same answer for the web form, the
relay API and the agent who issues the certificate."""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ActType(StrEnum):
    BIRTH = "birth"
    MARRIAGE = "marriage"
    DEATH = "death"


class CopyKind(StrEnum):
    FULL = "full"
    EXTRACT_PARENTAGE = "extract_filiation"
    EXTRACT = "extract"
    MULTILINGUAL = "multilingual"


class Relationship(StrEnum):
    SELF = "self"
    SPOUSE = "spouse"
    ASCENDANT = "ascendant"
    DESCENDANT = "descendant"
    LEGAL_REPRESENTATIVE = "legal_representative"
    OTHER = "other"


ACT_LABELS = {
    ActType.BIRTH: gettext_lazy("Acte de naissance"),
    ActType.MARRIAGE: gettext_lazy("Acte de mariage"),
    ActType.DEATH: gettext_lazy("Acte de décès"),
}
COPY_LABELS = {
    CopyKind.FULL: gettext_lazy("Copie intégrale"),
    CopyKind.EXTRACT_PARENTAGE: gettext_lazy("Extrait avec filiation"),
    CopyKind.EXTRACT: gettext_lazy("Extrait sans filiation"),
    CopyKind.MULTILINGUAL: gettext_lazy("Extrait plurilingue"),
}
RELATIONSHIP_LABELS = {
    Relationship.SELF: gettext_lazy("Je suis la personne concernée"),
    Relationship.SPOUSE: gettext_lazy("Son époux ou son épouse"),
    Relationship.ASCENDANT: gettext_lazy("Son père, sa mère ou un grand-parent"),
    Relationship.DESCENDANT: gettext_lazy("Son enfant ou un petit-enfant"),
    Relationship.LEGAL_REPRESENTATIVE: gettext_lazy("Son représentant légal (tuteur…)"),
    Relationship.OTHER: gettext_lazy("Autre (aucun de ces liens)"),
}
# Copies that show the parents: kept for the people close to the person.
RESTRICTED = {CopyKind.FULL, CopyKind.EXTRACT_PARENTAGE, CopyKind.MULTILINGUAL}
CLOSE = {
    Relationship.SELF,
    Relationship.SPOUSE,
    Relationship.ASCENDANT,
    Relationship.DESCENDANT,
    Relationship.LEGAL_REPRESENTATIVE,
}
# Past this age, birth and marriage records are public archives, open to anyone.
PUBLIC_ARCHIVE_YEARS = 75


@dataclass(frozen=True, slots=True)
class AccessDecision:
    is_allowed: bool
    explanation: str


def _years_between(start: datetime.date, end: datetime.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def certificate_access(
    *,
    act_type: str,
    copy_kind: str,
    relationship: str,
    event_date: datetime.date | None,
    today: datetime.date,
) -> AccessDecision:
    """Whether the requester may obtain this copy, and why, in words for the requester."""
    copy = COPY_LABELS.get(copy_kind, copy_kind)  # type: ignore[call-overload]
    if copy_kind == CopyKind.EXTRACT:
        return AccessDecision(
            True, _("Un extrait sans filiation est délivré à toute personne qui le demande.")
        )
    if act_type == ActType.DEATH:
        return AccessDecision(
            True, _("Les actes de décès sont délivrés à toute personne qui le demande.")
        )
    if event_date is not None and _years_between(event_date, today) >= PUBLIC_ARCHIVE_YEARS:
        return AccessDecision(
            True,
            _(
                "L'acte a plus de %(years)s ans : il est devenu une archive publique, "
                "délivrée à toute personne."
            )
            % {"years": PUBLIC_ARCHIVE_YEARS},
        )
    if relationship in CLOSE:
        return AccessDecision(
            True,
            _(
                "%(copy)s : délivrée à la personne concernée, à son époux ou épouse, "
                "à ses ascendants, à ses descendants ou à son représentant légal, "
                "ce qui est votre cas."
            )
            % {"copy": copy},
        )
    return AccessDecision(
        False,
        _(
            "%(copy)s : elle montre la filiation, et n'est délivrée qu'à la personne "
            "concernée, à son époux ou épouse, à ses ascendants, à ses descendants ou à son "
            "représentant légal. Vous pouvez demander un extrait sans filiation."
        )
        % {"copy": copy},
    )
