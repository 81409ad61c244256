"""K15: the levels R and I of each domain derived from the cases, with the reasons, and
their comparison with the levels the authority declares."""

from typing import Any

from django.utils.translation import gettext, gettext_noop


def _(msgid: str) -> dict[str, Any]:
    """A reason, stored untranslated (snapshots outlive the language of their computation):
    `reason_text` translates it when shown."""
    return _Reason(text=gettext_noop(msgid), params={})


class _Reason(dict):
    def __mod__(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"text": self["text"], "params": params}


def reason_text(reason: Any) -> str:
    """A stored reason in the current language (plain strings are shown as they are)."""
    if isinstance(reason, dict):
        return (
            gettext(reason["text"]) % reason["params"]
            if reason["params"]
            else gettext(reason["text"])
        )
    return gettext(str(reason))


END_TO_END = 0.80  # K2 at or above: end to end online (R3)
AUTOMATIC = 0.50  # K3 at or above: online requests arrive without re-keying (I2)
NO_REKEYING = 0.95  # K3 at or above: no re-keying (I3)
PREFILL = 0.30  # K8 at or above: "Dites-le-nous une fois" counts for R4
ONLINE_PAYMENT = 0.50  # K4 (in number) at or above: payment is an online step (R3, I3)
MIN_CASES = 5  # under this many cases, a share cannot lift a level above 2


def _share(values: dict[str, Any], code: str) -> float | None:
    block = values.get(code) or {}
    return block.get("share") if block.get("measurable") else None


def _percent(value: float) -> str:
    return f"{round(value * 100)} %"


def derive(*, values: dict[str, Any], procedures: int, online_procedures: int) -> dict[str, Any]:
    """Levels of one domain from its indicators over a year (`values`) and its procedures
    on the platform (`procedures`, of which `online_procedures` are open online)."""
    return {
        "relation": _relation(values, procedures, online_procedures),
        "internal": _internal(values, procedures),
    }


def _relation(values: dict[str, Any], procedures: int, online: int) -> dict[str, Any]:
    reasons: list[dict[str, Any]] = []
    if procedures == 0:
        return {"level": 0, "reasons": [_("aucune démarche de ce domaine sur la plateforme")]}
    if online == 0:
        return {
            "level": 1,
            "reasons": [
                _("les démarches sont décrites en ligne mais aucune n'est ouverte au dépôt")
            ],
        }
    level = 2
    reasons.append(_("au moins une démarche peut être déposée en ligne"))
    k2 = _share(values, "K2")
    if k2 is None:
        reasons.append(_("aucun dossier en ligne clos : le bout en bout n'est pas mesurable"))
    elif values["K2"]["base"] < MIN_CASES:
        reasons.append(
            _("trop peu de dossiers en ligne clos (%(n)s, moins de 5) pour établir le bout en bout")
            % {"n": values["K2"]["base"]}
        )
    elif k2 < END_TO_END:
        reasons.append(
            _("seulement %(share)s des dossiers en ligne clos l'ont été sans étape papier")
            % {"share": _percent(k2)}
        )
    else:
        reasons.append(
            _("%(share)s des dossiers en ligne clos l'ont été sans étape papier")
            % {"share": _percent(k2)}
        )
        payment, blocks = _payment(values)
        reasons.append(payment)
        if blocks:
            return {"level": level, "reasons": reasons}
        level = 3
    if level == 3:
        k8 = _share(values, "K8")
        k9 = _share(values, "K9")
        # The platform is one entry point across services; the second criterion must be
        # measured: pre-filled data or FranceConnect in use (proactive granting is not).
        if k8 is not None and k8 >= PREFILL:
            level = 4
            reasons.append(
                _("point d'entrée unique et %(share)s des champs obligatoires pré-remplis")
                % {"share": _percent(k8)}
            )
        elif k9:
            level = 4
            reasons.append(
                _(
                    "point d'entrée unique et FranceConnect utilisé (%(share)s des dossiers en ligne)"
                )
                % {"share": _percent(k9)}
            )
        else:
            reasons.append(
                _(
                    "niveau 4 non atteint : moins de 30 % des champs pré-remplis et FranceConnect "
                    "non utilisé"
                )
            )
    return {"level": level, "reasons": reasons}


def _payment(values: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The online payment criterion of R3 and I3 (K4 in number): the reason, and whether it
    keeps the domain below level 3. A domain that bills nothing, or too little to judge,
    is not held back."""
    k4 = values.get("K4") or {}
    if not k4.get("measurable"):
        return _("aucune somme facturée dans l'année : le paiement ne bloque pas le niveau"), False
    if k4["base"] < MIN_CASES:
        return (
            _("trop peu de sommes facturées (%(n)s, moins de 5) pour juger le paiement en ligne")
            % {"n": k4["base"]},
            False,
        )
    if k4["share"] < ONLINE_PAYMENT:
        return (
            _("seulement %(share)s des sommes facturées ont été payées en ligne")
            % {"share": _percent(k4["share"])},
            True,
        )
    return (
        _("%(share)s des sommes facturées ont été payées en ligne")
        % {"share": _percent(k4["share"])},
        False,
    )


def _internal(values: dict[str, Any], procedures: int) -> dict[str, Any]:
    if procedures == 0:
        return {"level": 0, "reasons": [_("aucune démarche de ce domaine sur la plateforme")]}
    if not values.get("filed"):
        return {"level": None, "reasons": [_("aucun dossier déposé dans l'année : non mesurable")]}
    k3 = _share(values, "K3")
    if k3 is None:
        return {
            "level": 1,
            "reasons": [_("aucune demande en ligne : les dossiers sont saisis par les agents")],
        }
    if k3 < AUTOMATIC:
        return {
            "level": 1,
            "reasons": [
                _("%(share)s des demandes en ligne ont été ressaisies ou corrigées par un agent")
                % {"share": _percent(1 - k3)}
            ],
        }
    reasons = [
        _("%(share)s des demandes en ligne arrivent dans l'outil sans ressaisie")
        % {"share": _percent(k3)}
    ]
    k2 = _share(values, "K2")
    if values["K3"]["base"] < MIN_CASES:
        reasons.append(
            _("trop peu de demandes en ligne (%(n)s, moins de 5) pour établir le niveau 3")
            % {"n": values["K3"]["base"]}
        )
        return {"level": 2, "reasons": reasons}
    if k3 < NO_REKEYING or k2 is None or k2 < END_TO_END:
        reasons.append(
            _(
                "niveau 3 non atteint : ressaisies au-delà de 5 % ou étapes papier (pièces numérisées)"
            )
        )
        return {"level": 2, "reasons": reasons}
    reasons.append(_("aucune ressaisie ni étape papier : le dossier électronique fait foi"))
    payment, blocks = _payment(values)
    if blocks:
        reasons.append(payment)
        reasons.append(_("niveau 3 non atteint : les paiements ne sont pas rapprochés en ligne"))
        return {"level": 2, "reasons": reasons}
    reasons.append(_("signature électronique non mesurable : elle ne bloque pas le niveau"))
    if values.get("partners"):
        reasons.append(
            _("%(count)s dossiers reçus d'un partenaire par API") % {"count": values["partners"]}
        )
        return {"level": 4, "reasons": reasons}
    reasons.append(_("niveau 4 non atteint : aucun échange automatisé avec un partenaire"))
    return {"level": 3, "reasons": reasons}


def compare(*, derived: int | None, declared: int | None) -> dict[str, Any]:
    """The discrepancy between a derived and a declared level."""
    if derived is None or declared is None:
        return {"difference": None, "status": "unknown"}
    difference = declared - derived
    status = (
        "equal" if difference == 0 else "declared_higher" if difference > 0 else "declared_lower"
    )
    return {"difference": difference, "status": status}
