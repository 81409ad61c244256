"""The procedure builder: an authority's drafts, their checks, publication, diffs, YAML
and test runs.

A draft is a `ProcedureVersion` without `published_at`, numbered 0 (so the database keeps
one draft per procedure). Its definition holds the whole exported form (name, domain,
service… and fields, workflow, channels, e-mails, documents): editing it changes nothing
residents or agents see. Publishing gives it the next number, applies the procedure's
settings and keeps only the versioned part, as an import does.
"""

import copy
import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.apps import apps
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from guichet.accounts.models import Membership, Service, User
from guichet.core.audit import audit_record
from guichet.core.errors import DomainError, ErrorCode
from guichet.core.models import AuditEvent
from guichet.engine import tasks
from guichet.engine.definitions import (
    ACTIONS,
    APPLICANT,
    CHANNELS,
    DOMAINS,
    FIELD_TYPES,
    INPUT_LESS_TYPES,
    PLACEHOLDER,
    PLACEHOLDERS,
    Action,
    DeadlineDef,
    definition_parse,
)
from guichet.engine.models import Case, CaseTransition, Procedure, ProcedureVersion
from guichet.engine.selectors import procedure_current_version
from guichet.engine.validators import FILE_TYPES
from guichet.tenants.models import Authority

DRAFT_NUMBER = 0
META_KEYS = ("code", "slug", "name", "description", "domain", "audience", "service")
META_KEYS_ALL = (*META_KEYS, "retention_days")
VERSIONED_KEYS = ("fields", "workflow", "channels", "emails", "documents")
AUDIENCES = ("individual", "organisation", "internal")
OUTCOMES = ("", "accepted", "rejected")
PREFILLS = ("first_name", "last_name", "email", "phone", "address", "birth_date")
IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*"
PREFILL = r"[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*"


# --- Checks -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in a definition, with where it is (`workflow.transitions[2].roles`)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path} : {self.message}" if self.path else self.message


class DefinitionInvalid(DomainError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(ErrorCode.INVALID_DATA, "\n".join(str(p) for p in problems))
        self.problems = problems


def workflow_roles() -> set[str]:
    return {APPLICANT, *Membership.Role.values}


def _template_exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def _is_identifier(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(IDENTIFIER, value) is not None


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    # The procedure's settings (only when the whole exported form is checked).
    def meta(self, raw: dict[str, Any]) -> None:
        code = raw.get("code")
        if not isinstance(code, str) or not re.fullmatch(r"[A-Z0-9]{1,12}", code):
            self.add("code", _("1 à 12 lettres majuscules ou chiffres."))
        if not isinstance(raw.get("slug"), str) or slugify(raw["slug"]) != raw["slug"]:
            self.add("slug", _("Lettres minuscules, chiffres et tirets seulement."))
        if not str(raw.get("name") or "").strip():
            self.add("name", _("Le nom est obligatoire."))
        if raw.get("domain") not in DOMAINS:
            self.add("domain", _("Domaine inconnu : %(value)s.") % {"value": raw.get("domain")})
        if raw.get("audience", "individual") not in AUDIENCES:
            self.add("audience", _("Public inconnu : %(value)s.") % {"value": raw.get("audience")})
        if not raw.get("service"):
            self.add("service", _("Le service est obligatoire."))
        retention = raw.get("retention_days", 3650)
        if not isinstance(retention, int) or isinstance(retention, bool) or retention < 1:
            self.add("retention_days", _("Un nombre de jours, au moins 1."))

    def definition(self, raw: dict[str, Any]) -> None:
        fields = raw.get("fields", [])
        workflow = raw.get("workflow", {})
        if not isinstance(fields, list):
            self.add("fields", _("Une liste de champs est attendue."))
            fields = []
        if not isinstance(workflow, dict):
            self.add("workflow", _("Un parcours est attendu."))
            workflow = {}
        names = self.fields(fields, path="fields")
        self.conditions(fields, names)
        emails = self.texts(raw.get("emails", []), path="emails", title="subject", names=names)
        documents = self.texts(
            raw.get("documents", []), path="documents", title="title", names=names
        )
        self.channels(raw.get("channels"))
        self.workflow(workflow, emails=emails, documents=documents)

    def channels(self, channels: Any) -> None:
        if channels is None:
            return
        if not isinstance(channels, list) or not channels:
            self.add("channels", _("Au moins un canal."))
            return
        for index, channel in enumerate(channels):
            if channel not in CHANNELS:
                self.add(f"channels[{index}]", _("Canal inconnu : %(value)s.") % {"value": channel})

    def fields(self, fields: list[Any], *, path: str, in_group: bool = False) -> dict[str, dict]:
        names: dict[str, dict] = {}
        for index, item in enumerate(fields):
            where = f"{path}[{index}]"
            if not isinstance(item, dict):
                self.add(where, _("Un champ est attendu."))
                continue
            kind = item.get("type", "text")
            if kind not in FIELD_TYPES:
                self.add(f"{where}.type", _("Type de champ inconnu : %(value)s.") % {"value": kind})
                continue
            if in_group and kind in {"group", "page", "help"}:
                self.add(f"{where}.type", _("Pas de %(value)s dans un groupe.") % {"value": kind})
                continue
            if kind == "help" and not str(item.get("text") or "").strip():
                self.add(f"{where}.text", _("Le texte d'aide est vide."))
            if kind in INPUT_LESS_TYPES:
                continue
            name = item.get("name")
            if not _is_identifier(name):
                self.add(
                    f"{where}.name",
                    _("Un nom fait de lettres sans accent, chiffres et _ est obligatoire."),
                )
            elif name in names:
                self.add(f"{where}.name", _("Le nom %(name)s est déjà pris.") % {"name": name})
            else:
                names[name] = item
            if not str(item.get("label") or "").strip():
                self.add(f"{where}.label", _("Le libellé est obligatoire."))
            self.field_options(item, where=where, kind=kind)
        return names

    def field_options(self, item: dict[str, Any], *, where: str, kind: str) -> None:
        if kind in {"choice", "multiple_choice"}:
            choices = item.get("choices") or []
            values = [str(c.get("value")) if isinstance(c, dict) else str(c) for c in choices]
            if not values:
                self.add(f"{where}.choices", _("Au moins un choix."))
            if len(values) != len(set(values)):
                self.add(f"{where}.choices", _("Deux choix ont la même valeur."))
        # Profile keys (PREFILLS) or a domain's own dotted source (`organisation.name`).
        if item.get("prefill") and not re.fullmatch(PREFILL, str(item["prefill"])):
            self.add(
                f"{where}.prefill",
                _("Préremplissage inconnu : %(value)s.") % {"value": item["prefill"]},
            )
        for index, accepted in enumerate(item.get("accept") or []):
            if accepted not in FILE_TYPES:
                self.add(
                    f"{where}.accept[{index}]",
                    _("Type de fichier inconnu : %(value)s.") % {"value": accepted},
                )
        low, high = item.get("min"), item.get("max")
        for key, value in (("min", low), ("max", high)):
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                self.add(f"{where}.{key}", _("Un nombre est attendu."))
        if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
            self.add(f"{where}.max", _("Le maximum est plus petit que le minimum."))
        if kind == "group":
            sub = item.get("fields") or []
            if not sub:
                self.add(f"{where}.fields", _("Un groupe a au moins un champ."))
            self.fields(sub, path=f"{where}.fields", in_group=True)

    def conditions(self, fields: list[Any], names: dict[str, dict]) -> None:
        for index, item in enumerate(fields):
            if not isinstance(item, dict) or not item.get("show_if"):
                continue
            where = f"fields[{index}].show_if"
            condition = item["show_if"]
            if not isinstance(condition, dict) or "field" not in condition:
                self.add(where, _("Une condition nomme un champ."))
                continue
            target = names.get(condition["field"])
            if target is None or condition["field"] == item.get("name"):
                self.add(
                    f"{where}.field",
                    _("La condition porte sur un champ absent : %(name)s.")
                    % {"name": condition["field"]},
                )
                continue
            if target.get("type") in {"choice", "multiple_choice"}:
                allowed = {
                    str(c.get("value")) if isinstance(c, dict) else str(c)
                    for c in target.get("choices") or []
                }
                wanted = condition.get("one_of") or [condition.get("equals")]
                for value in wanted:
                    if str(value) not in allowed:
                        self.add(
                            where,
                            _("La valeur %(value)s n'est pas un choix de %(name)s.")
                            % {"value": value, "name": condition["field"]},
                        )

    def texts(self, texts: Any, *, path: str, title: str, names: dict[str, dict]) -> set[str]:
        codes: set[str] = set()
        if not isinstance(texts, list):
            self.add(path, _("Une liste est attendue."))
            return codes
        for index, item in enumerate(texts):
            where = f"{path}[{index}]"
            if not isinstance(item, dict) or not _is_identifier(item.get("code")):
                self.add(f"{where}.code", _("Un code fait de lettres sans accent, chiffres et _."))
                continue
            if item["code"] in codes:
                self.add(
                    f"{where}.code", _("Le code %(code)s est déjà pris.") % {"code": item["code"]}
                )
            codes.add(item["code"])
            if not str(item.get(title) or "").strip():
                self.add(f"{where}.{title}", _("Le titre est obligatoire."))
            for key in (title, "body"):
                for used in PLACEHOLDER.findall(str(item.get(key) or "")):
                    if used not in names and used not in PLACEHOLDERS:
                        self.add(
                            f"{where}.{key}",
                            _("Le texte utilise un champ absent : %(name)s.") % {"name": used},
                        )
        return codes

    def workflow(self, raw: dict[str, Any], *, emails: set[str], documents: set[str]) -> None:
        statuses = raw.get("statuses") or []
        if not statuses:
            self.add("workflow.statuses", _("Le parcours a au moins un statut."))
        codes: dict[str, dict] = {}
        for index, status in enumerate(statuses):
            where = f"workflow.statuses[{index}]"
            if not isinstance(status, dict) or not _is_identifier(status.get("code")):
                self.add(f"{where}.code", _("Un code fait de lettres sans accent, chiffres et _."))
                continue
            if status["code"] in codes:
                self.add(
                    f"{where}.code", _("Le code %(code)s est déjà pris.") % {"code": status["code"]}
                )
            codes[status["code"]] = status
            if status.get("outcome", "") not in OUTCOMES:
                self.add(
                    f"{where}.outcome",
                    _("Issue inconnue : %(value)s.") % {"value": status["outcome"]},
                )
            for number, action in enumerate(status.get("on_enter") or []):
                self.action(
                    action, where=f"{where}.on_enter[{number}]", emails=emails, documents=documents
                )
        for index, status in enumerate(statuses):
            deadline = status.get("deadline") if isinstance(status, dict) else None
            if deadline:
                self.deadline(deadline, where=f"workflow.statuses[{index}].deadline", codes=codes)
        initial = raw.get("initial", next(iter(codes), ""))
        if codes and initial not in codes:
            self.add(
                "workflow.initial", _("Statut initial inconnu : %(code)s.") % {"code": initial}
            )
        self.transitions(raw.get("transitions") or [], codes)
        if codes and initial in codes:
            self.reachability(raw, codes, initial)

    def action(self, action: Any, *, where: str, emails: set[str], documents: set[str]) -> None:
        if not isinstance(action, dict) or action.get("action") not in ACTIONS:
            self.add(where, _("Action inconnue : %(value)s.") % {"value": action})
            return
        unknown = set(action) - {f.name for f in dataclasses.fields(Action)}
        if unknown:
            self.add(
                where, _("Option inconnue : %(value)s.") % {"value": ", ".join(sorted(unknown))}
            )
        template = action.get("template")
        if (
            template
            and template not in emails
            and not _template_exists(f"notifications/email/{template}.txt")
        ):
            self.add(
                f"{where}.template", _("Modèle de courriel absent : %(name)s.") % {"name": template}
            )
        document = action.get("document")
        if (
            document
            and document not in documents
            and not _template_exists(f"engine/pdf/{document}.html")
        ):
            self.add(
                f"{where}.document", _("Modèle de document absent : %(name)s.") % {"name": document}
            )

    def deadline(self, deadline: Any, *, where: str, codes: dict[str, dict]) -> None:
        if not isinstance(deadline, dict) or set(deadline) - {
            f.name for f in dataclasses.fields(DeadlineDef)
        }:
            self.add(where, _("Délai mal formé."))
            return
        days = deadline.get("days")
        if not isinstance(days, int) or isinstance(days, bool) or days < 1:
            self.add(f"{where}.days", _("Un nombre de jours, au moins 1."))
        elif int(deadline.get("alert_days_before") or 0) >= days:
            self.add(f"{where}.alert_days_before", _("L'alerte doit venir avant l'échéance."))
        if deadline.get("to") and deadline["to"] not in codes:
            self.add(f"{where}.to", _("Statut inconnu : %(code)s.") % {"code": deadline["to"]})

    def transitions(self, transitions: list[Any], codes: dict[str, dict]) -> None:
        names: set[str] = set()
        known_roles = workflow_roles()
        for index, transition in enumerate(transitions):
            where = f"workflow.transitions[{index}]"
            if not isinstance(transition, dict):
                self.add(where, _("Une transition est attendue."))
                continue
            name = transition.get("name", f"{transition.get('from')}__{transition.get('to')}")
            if name in names:
                self.add(f"{where}.name", _("Le nom %(name)s est déjà pris.") % {"name": name})
            names.add(name)
            for key in ("from", "to"):
                if transition.get(key) not in codes:
                    self.add(
                        f"{where}.{key}",
                        _("Statut inconnu : %(code)s.") % {"code": transition.get(key)},
                    )
            roles = transition.get("roles", ["agent"])
            if not isinstance(roles, list) or not set(roles) & known_roles:
                self.add(f"{where}.roles", _("Aucun rôle ne peut prendre cette transition."))
                continue
            for number, role in enumerate(roles):
                if role not in known_roles:
                    self.add(
                        f"{where}.roles[{number}]", _("Rôle inconnu : %(role)s.") % {"role": role}
                    )

    def reachability(self, raw: dict[str, Any], codes: dict[str, dict], initial: str) -> None:
        edges: dict[str, set[str]] = {}
        for transition in raw.get("transitions") or []:
            if (
                isinstance(transition, dict)
                and set(transition.get("roles", ["agent"]) or []) & workflow_roles()
            ):
                edges.setdefault(transition.get("from"), set()).add(transition.get("to"))
        for code, status in codes.items():
            deadline = status.get("deadline")
            if isinstance(deadline, dict) and deadline.get("to"):
                edges.setdefault(code, set()).add(deadline["to"])
        reached, todo = {initial}, [initial]
        while todo:
            for target in edges.get(todo.pop(), ()):
                if target not in reached:
                    reached.add(target)
                    todo.append(target)
        for index, code in enumerate(codes):
            if code not in reached:
                self.add(
                    f"workflow.statuses[{index}]",
                    _("Le statut %(code)s ne peut jamais être atteint.") % {"code": code},
                )


def definition_problems(raw: Any, *, whole: bool = False) -> list[Problem]:
    """Every problem of a definition (or, `whole`, of a procedure's exported form), with its
    path; an empty list means it can be published."""
    if not isinstance(raw, dict):
        return [Problem("", _("Un document YAML décrivant une démarche est attendu."))]
    checker = _Checker()
    if whole:
        checker.meta(raw)
    checker.definition(raw)
    if not checker.problems:
        try:
            definition_parse(definition_versioned(raw))
        except (DomainError, KeyError, TypeError, ValueError) as error:
            checker.add("", str(error))
    return checker.problems


def definition_check(raw: Any, *, whole: bool = False) -> None:
    problems = definition_problems(raw, whole=whole)
    if problems:
        raise DefinitionInvalid(problems)


def definition_versioned(raw: dict[str, Any]) -> dict[str, Any]:
    """The part of an exported procedure that a version holds."""
    versioned = {"fields": raw.get("fields", []), "workflow": raw.get("workflow", {})}
    for key in VERSIONED_KEYS[2:]:
        if raw.get(key):
            versioned[key] = raw[key]
    return versioned


# --- YAML -----------------------------------------------------------------------------------


def yaml_dump(raw: dict[str, Any]) -> str:
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=100)


def yaml_parse(text: str) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"ligne {mark.line + 1}, colonne {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise DefinitionInvalid(
            [Problem(where, _("YAML illisible : %(problem)s.") % {"problem": problem})]
        ) from error
    if not isinstance(raw, dict):
        raise DefinitionInvalid(
            [Problem("", _("Un document YAML décrivant une démarche est attendu."))]
        )
    return raw


def library() -> list[dict[str, Any]]:
    """The procedures shipped with Guichet, in each domain app's `procedures/` folder."""
    found = []
    for config in apps.get_app_configs():
        folder = Path(config.path) / "procedures"
        if not config.name.startswith("guichet.") or not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            raw = yaml.safe_load(path.read_text())
            found.append(
                {
                    "key": f"{config.label}/{path.stem}",
                    "name": raw.get("name", path.stem),
                    "description": raw.get("description", ""),
                    "domain": raw.get("domain", ""),
                    "raw": raw,
                }
            )
    return found


def library_get(*, key: str) -> dict[str, Any]:
    for item in library():
        if item["key"] == key:
            return copy.deepcopy(item["raw"])
    raise DomainError(ErrorCode.INVALID_DATA, _("Cette démarche n'est pas dans la bibliothèque."))


# --- Drafts ---------------------------------------------------------------------------------


def draft_get(*, procedure: Procedure) -> ProcedureVersion | None:
    return procedure.versions.filter(
        authority_id=procedure.authority_id, published_at__isnull=True
    ).first()


def procedure_export_whole(*, procedure: Procedure) -> dict[str, Any]:
    """The procedure as its current draft has it, else as it is published."""
    draft = draft_get(procedure=procedure)
    if draft is not None:
        return copy.deepcopy(draft.definition)
    version = procedure_current_version(procedure=procedure)
    exported: dict[str, Any] = {key: getattr(procedure, key) for key in META_KEYS_ALL}
    exported["service"] = procedure.service.slug
    if version is not None:
        exported |= copy.deepcopy(version.definition)
    return exported


def revision_of(definition: dict[str, Any]) -> str:
    """A short fingerprint: a form carries the one it was drawn from, so that a double
    submit, or an edit made meanwhile in another tab, is not applied twice or lost."""
    dumped = json.dumps(definition, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(dumped.encode()).hexdigest()[:16]


def _service_of(*, authority: Authority, slug: Any) -> Service:
    service = Service.objects.filter(authority=authority, slug=slug).first()
    if service is None:
        raise DefinitionInvalid(
            [Problem("service", _("Service inconnu : %(slug)s.") % {"slug": slug})]
        )
    return service


def _unique_problems(
    *, authority: Authority, raw: dict[str, Any], procedure: Procedure | None
) -> list[Problem]:
    others = Procedure.objects.filter(authority=authority)
    if procedure is not None:
        others = others.exclude(pk=procedure.pk)
    problems = []
    if others.filter(code=raw.get("code")).exists():
        problems.append(Problem("code", _("Une autre démarche a déjà ce code.")))
    if others.filter(slug=raw.get("slug")).exists():
        problems.append(Problem("slug", _("Une autre démarche a déjà cette adresse.")))
    return problems


@transaction.atomic
def procedure_create(*, authority: Authority, by: User, raw: dict[str, Any]) -> Procedure:
    """A new procedure, with a draft only: nobody sees it until it is published."""
    raw = {"retention_days": 3650, "audience": "individual", **raw}
    raw.setdefault("fields", [])
    raw.setdefault(
        "workflow",
        {
            "initial": "submitted",
            "statuses": [
                {
                    "code": "submitted",
                    "label": "Demande reçue",
                    "on_enter": [{"action": "notify_service"}],
                },
                {
                    "code": "accepted",
                    "label": "Acceptée",
                    "final": True,
                    "outcome": "accepted",
                    "on_enter": [{"action": "notify_applicant", "template": "case_decided"}],
                },
            ],
            "transitions": [
                {
                    "name": "accept",
                    "from": "submitted",
                    "to": "accepted",
                    "label": "Accepter",
                    "roles": ["agent", "manager"],
                },
            ],
        },
    )
    problems = [
        p
        for p in definition_problems(raw, whole=True)
        if p.path.split(".")[0].split("[")[0] in META_KEYS_ALL
    ]
    problems += _unique_problems(authority=authority, raw=raw, procedure=None)
    if problems:
        raise DefinitionInvalid(problems)
    service = _service_of(authority=authority, slug=raw["service"])
    procedure = Procedure.objects.create(
        authority=authority,
        service=service,
        **{key: raw[key] for key in META_KEYS_ALL if key != "service" and key in raw},
    )
    ProcedureVersion.objects.create(
        authority=authority, procedure=procedure, number=DRAFT_NUMBER, definition=raw
    )
    _audit(procedure=procedure, by=by, what="created")
    return procedure


@transaction.atomic
def draft_save(
    *, procedure: Procedure, by: User, definition: dict[str, Any], revision: str | None = None
) -> ProcedureVersion:
    """Replaces the draft's definition (starting one from the published version if needed).
    The draft may be incomplete: its problems are shown, and only block publishing."""
    Procedure.objects.select_for_update().filter(pk=procedure.pk).first()
    draft = draft_get(procedure=procedure)
    current = draft.definition if draft else procedure_export_whole(procedure=procedure)
    if revision is not None and revision != revision_of(current):
        raise DomainError(
            ErrorCode.ALREADY_DONE,
            _(
                "Le brouillon a changé entre-temps (double envoi ou autre onglet) : rechargez la page."
            ),
        )
    if not isinstance(definition.get("fields", []), list) or not isinstance(
        definition.get("workflow", {}), dict
    ):
        raise DefinitionInvalid(definition_problems(definition, whole=True))
    if draft is None:
        return ProcedureVersion.objects.create(
            authority_id=procedure.authority_id,
            procedure=procedure,
            number=DRAFT_NUMBER,
            definition=definition,
        )
    draft.definition = definition
    draft.save(update_fields=["definition"])
    return draft


def draft_edit(
    *, procedure: Procedure, by: User, revision: str | None, change: Any
) -> ProcedureVersion:
    """Applies `change(definition)` (which edits it in place) to the draft."""
    definition = procedure_export_whole(procedure=procedure)
    change(definition)
    return draft_save(procedure=procedure, by=by, definition=definition, revision=revision)


@transaction.atomic
def draft_discard(*, procedure: Procedure, by: User) -> None:
    draft = draft_get(procedure=procedure)
    if draft is None:
        return
    if procedure_current_version(procedure=procedure) is None:
        raise DomainError(
            ErrorCode.NOT_ALLOWED,
            _("Cette démarche n'a pas de version publiée : gardez son brouillon."),
        )
    draft.delete()
    _audit(procedure=procedure, by=by, what="draft_discarded")


@transaction.atomic
def draft_publish(
    *, procedure: Procedure, by: User, revision: str | None = None
) -> ProcedureVersion:
    """Publishes the draft as the next version: cases already filed keep theirs."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    draft = draft_get(procedure=procedure)
    if draft is None:
        raise DomainError(ErrorCode.ALREADY_DONE, _("Il n'y a pas de brouillon à publier."))
    if revision is not None and revision != revision_of(draft.definition):
        raise DomainError(
            ErrorCode.ALREADY_DONE,
            _(
                "Le brouillon a changé entre-temps (double envoi ou autre onglet) : rechargez la page."
            ),
        )
    raw = draft.definition
    problems = definition_problems(raw, whole=True)
    problems += _unique_problems(authority=procedure.authority, raw=raw, procedure=procedure)
    if (
        not problems
        and not Service.objects.filter(
            authority_id=procedure.authority_id, slug=raw["service"]
        ).exists()
    ):
        problems.append(
            Problem("service", _("Service inconnu : %(slug)s.") % {"slug": raw["service"]})
        )
    if problems:
        raise DefinitionInvalid(problems)
    for key in META_KEYS_ALL:
        if key != "service" and key in raw:
            setattr(procedure, key, raw[key])
    procedure.service = _service_of(authority=procedure.authority, slug=raw["service"])
    procedure.save(update_fields=[*(k for k in META_KEYS_ALL if k != "service"), "service"])
    versions = procedure.versions.filter(authority_id=procedure.authority_id)
    last = versions.aggregate(last=Max("number"))["last"] or 0
    draft.number = last + 1
    draft.definition = definition_versioned(raw)
    draft.published_at = timezone.now()
    draft.save(update_fields=["number", "definition", "published_at"])
    _audit(procedure=procedure, by=by, what="published", number=draft.number)
    return draft


@transaction.atomic
def draft_import(
    *,
    authority: Authority,
    by: User,
    text: str,
    procedure: Procedure | None = None,
    create_only: bool = False,
) -> Procedure:
    """Imports YAML as the draft of `procedure` (or of the procedure with its slug, or a new
    one). Every problem is reported with its path; nothing is written when there is one."""
    raw = yaml_parse(text)
    problems = definition_problems(raw, whole=True)
    if procedure is None and not create_only:
        procedure = Procedure.objects.filter(authority=authority, slug=raw.get("slug")).first()
    problems += _unique_problems(authority=authority, raw=raw, procedure=procedure)
    if (
        raw.get("service")
        and not Service.objects.filter(authority=authority, slug=raw["service"]).exists()
    ):
        problems.append(
            Problem("service", _("Service inconnu : %(slug)s.") % {"slug": raw["service"]})
        )
    if problems:
        raise DefinitionInvalid(problems)
    if procedure is None:
        return procedure_create(authority=authority, by=by, raw=raw)
    draft_save(procedure=procedure, by=by, definition=raw)
    return procedure


def _audit(*, procedure: Procedure, by: User, what: str, **detail: Any) -> None:
    audit_record(
        authority_id=procedure.authority_id,
        actor_id=by.pk,
        action=AuditEvent.Action.PROCEDURE_CHANGED,
        obj=procedure,
        detail={"change": what, **detail},
    )


# --- Diff -----------------------------------------------------------------------------------

SECTIONS = (
    ("fields", "name", _("Champ")),
    ("workflow.statuses", "code", _("Statut")),
    ("workflow.transitions", "name", _("Transition")),
    ("emails", "code", _("Courriel")),
    ("documents", "code", _("Document")),
)


@dataclass(frozen=True, slots=True)
class Change:
    kind: str  # added | removed | changed
    what: str
    item: str
    details: tuple[str, ...] = ()


def _items(raw: dict[str, Any], path: str, key: str) -> dict[str, dict]:
    node: Any = raw
    for part in path.split("."):
        node = node.get(part, {}) if isinstance(node, dict) else {}
    items: dict[str, dict] = {}
    for index, item in enumerate(node or []):
        if not isinstance(item, dict):
            continue
        ident = item.get(key)
        if path == "workflow.transitions" and not ident:
            ident = f"{item.get('from')}__{item.get('to')}"
        if not ident:
            ident = f"{item.get('type', '')} {item.get('title') or item.get('text') or index + 1}"
        items[str(ident)] = item
    return items


def _show(value: Any) -> str:
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def definition_diff(old: dict[str, Any] | None, new: dict[str, Any]) -> list[Change]:
    """What changed from `old` to `new`, item by item, in words an administrator reads."""
    old = old or {}
    changes: list[Change] = []
    for key in (*META_KEYS_ALL, "channels"):
        if key in new and old.get(key) != new.get(key):
            changes.append(
                Change(
                    "changed",
                    _("Réglage"),
                    key,
                    (f"{_show(old.get(key))} → {_show(new.get(key))}",),
                )
            )
    old_workflow, new_workflow = old.get("workflow") or {}, new.get("workflow") or {}
    if old_workflow.get("initial") != new_workflow.get("initial") and old:
        changes.append(
            Change(
                "changed",
                _("Réglage"),
                "workflow.initial",
                (f"{_show(old_workflow.get('initial'))} → {_show(new_workflow.get('initial'))}",),
            )
        )
    for path, key, what in SECTIONS:
        before, after = _items(old, path, key), _items(new, path, key)
        for ident, item in after.items():
            label = str(item.get("label") or item.get("title") or item.get("subject") or "")
            shown = f"{ident} ({label})" if label and label != ident else ident
            if ident not in before:
                changes.append(Change("added", str(what), shown))
                continue
            details = tuple(
                f"{attribute} : {_show(before[ident].get(attribute))} → {_show(item.get(attribute))}"
                for attribute in sorted(set(before[ident]) | set(item))
                if before[ident].get(attribute) != item.get(attribute)
            )
            if details:
                changes.append(Change("changed", str(what), shown, details))
        for ident in before:
            if ident not in after:
                changes.append(Change("removed", str(what), ident))
        if path == "fields":
            common = [i for i in after if i in before]
            if [i for i in before if i in after] != common:
                changes.append(Change("changed", _("Champs"), _("ordre"), (" → ".join(common),)))
    return changes


def version_diffs(*, procedure: Procedure) -> list[tuple[ProcedureVersion, list[Change]]]:
    """Each published version with what it changed from the one before, newest first."""
    versions = list(
        procedure.versions.filter(
            authority_id=procedure.authority_id, published_at__isnull=False
        ).order_by("number")
    )
    rows, previous = [], None
    for version in versions:
        rows.append((version, definition_diff(previous, version.definition)))
        previous = version.definition
    return list(reversed(rows))


# --- Test runs ------------------------------------------------------------------------------


@dataclass
class Trial:
    """A draft played without any real case: answers, status and what each step produced.
    Held by the caller (the session); plain data, so that it serialises as JSON."""

    data: dict[str, Any] = dataclasses.field(default_factory=dict)
    status: str = ""
    steps: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any] | None) -> "Trial":
        raw = raw or {}
        return cls(
            data=dict(raw.get("data", {})),
            status=raw.get("status", ""),
            steps=list(raw.get("steps", [])),
        )


def _fake_case(*, procedure: Procedure, definition: dict[str, Any], run: Trial, by: User) -> Case:
    version = ProcedureVersion(
        authority_id=procedure.authority_id,
        procedure=procedure,
        number=DRAFT_NUMBER,
        definition=definition_versioned(definition),
    )
    # The draft's service (it may differ from the published one's).
    service = (
        Service.objects.filter(
            authority_id=procedure.authority_id, slug=definition.get("service")
        ).first()
        or procedure.service
    )
    fake = Procedure(
        authority_id=procedure.authority_id,
        name=definition.get("name", procedure.name),
        code=definition.get("code", procedure.code),
        service=service,
    )
    year = timezone.localdate().year
    return Case(
        authority=procedure.authority,
        procedure=fake,
        version=version,
        service=service,
        number=f"{year}-{fake.code}-ESSAI",
        tracking_code="ESSAI00000",
        status=run.status or "draft",
        channel="web",
        applicant=by,
        data=run.data,
        submitted_at=timezone.now(),
    )


def _email(
    template: str, context: dict[str, Any], *, authority: Authority, to: str
) -> dict[str, str]:
    rendered = render_to_string(
        f"notifications/email/{template}.txt", {"authority": authority, **context}
    ).strip()
    subject, _sep, body = rendered.partition("\n")
    return {"to": to, "subject": subject.strip(), "body": body.strip()}


def _enter(*, case: Case, code: str, comment: str, label: str) -> dict[str, Any]:
    workflow = case.version.parsed.workflow
    status = workflow.status(code)
    case.status = code
    step: dict[str, Any] = {
        "label": label,
        "status": code,
        "status_label": status.label,
        "comment": comment,
        "emails": [],
        "documents": [],
    }
    for action in status.on_enter:
        if action.action == "notify_applicant":
            template, context = tasks.case_email_render(
                case=case,
                template=action.template or "case_status_changed",
                status=status,
                comment=comment,
            )
            step["emails"].append(
                _email(template, context, authority=case.authority, to=case.person_email)
            )
        elif action.action == "notify_service":
            template, context = tasks.case_email_render(
                case=case, template=action.template or "service_case_arrived", status=status
            )
            step["emails"].append(
                _email(template, context, authority=case.authority, to=case.service.email)
            )
        elif action.action == "generate_pdf":
            step["documents"].append(action.document or "decision")
        else:
            step.setdefault("other", []).append(action.action)
    if status.deadline:
        deadline = status.deadline
        target = workflow.status(deadline.to).label if deadline.to else ""
        step["deadline"] = {
            "days": deadline.days,
            "to": target,
            "silence_accord": deadline.silence_accord,
        }
    return step


def trial_submit(
    *, procedure: Procedure, definition: dict[str, Any], run: Trial, by: User
) -> Trial:
    """Files the test answers: what `case_submit` would check, send and start."""
    parsed = definition_parse(definition_versioned(definition))
    missing = [
        spec.label
        for spec in parsed.fields
        if spec.required and spec.is_shown(run.data) and run.data.get(spec.name) in (None, "", [])
    ]
    if missing:
        raise DomainError(
            ErrorCode.INVALID_DATA,
            _("Des informations obligatoires manquent : %(fields)s.")
            % {"fields": ", ".join(missing)},
        )
    case = _fake_case(procedure=procedure, definition=definition, run=run, by=by)
    step = _enter(case=case, code=parsed.workflow.initial, comment="", label=_("Dépôt"))
    step["emails"].insert(
        0, _email("case_received", {"case": case}, authority=case.authority, to=case.person_email)
    )
    step["documents"].insert(0, "receipt")
    run.status = parsed.workflow.initial
    run.steps.append(step)
    return run


def trial_transition(
    *,
    procedure: Procedure,
    definition: dict[str, Any],
    run: Trial,
    by: User,
    name: str,
    comment: str = "",
) -> Trial:
    parsed = definition_parse(definition_versioned(definition))
    transition = parsed.workflow.transition(name)
    if transition.source != run.status:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            _("Le dossier d'essai n'est plus dans l'état attendu ; rechargez la page."),
        )
    if transition.comment_required and not comment.strip():
        raise DomainError(
            ErrorCode.INVALID_DATA, _("Un commentaire est obligatoire pour cette action.")
        )
    case = _fake_case(procedure=procedure, definition=definition, run=run, by=by)
    step = _enter(
        case=case, code=transition.target, comment=comment.strip(), label=transition.label
    )
    step["roles"] = list(transition.roles)
    run.status = transition.target
    run.steps.append(step)
    return run


def trial_document(
    *,
    procedure: Procedure,
    definition: dict[str, Any],
    run: Trial,
    by: User,
    step: int,
    document: str,
) -> bytes:
    """The PDF a test run's step would have produced."""
    if not 0 <= step < len(run.steps) or document not in run.steps[step]["documents"]:
        raise DomainError(ErrorCode.INVALID_DATA, _("Ce document n'existe pas dans l'essai."))
    replay = Trial(data=run.data, status=run.steps[step]["status"])
    case = _fake_case(procedure=procedure, definition=definition, run=replay, by=by)
    transition = CaseTransition(
        case=case, to_status=replay.status, actor=by, comment=run.steps[step]["comment"]
    )
    transition.at = timezone.now()
    return tasks.case_pdf(
        case=case, document=document, transition=None if document == "receipt" else transition
    )


# --- Reads ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BuilderRow:
    procedure: Procedure
    published: ProcedureVersion | None
    draft: ProcedureVersion | None


def procedures_for_builder(*, authority: Authority) -> list[BuilderRow]:
    procedures = Procedure.objects.filter(authority=authority).select_related("service")
    versions: dict[int, list[ProcedureVersion]] = {}
    for version in ProcedureVersion.objects.filter(authority=authority).defer("definition"):
        versions.setdefault(version.procedure_id, []).append(version)
    rows = []
    for procedure in procedures.order_by("name"):
        mine = versions.get(procedure.pk, [])
        published = [v for v in mine if v.published_at is not None]
        rows.append(
            BuilderRow(
                procedure=procedure,
                published=max(published, key=lambda v: v.number) if published else None,
                draft=next((v for v in mine if v.published_at is None), None),
            )
        )
    return rows


def procedure_get_for_builder(*, user: User, procedure_id: int) -> Procedure:
    """The access selector of the builder: an administrator of the procedure's authority."""
    if not user.is_authenticated or not user.is_authority_admin or user.authority_id is None:
        raise Http404
    procedure = (
        Procedure.objects.filter(authority_id=user.authority_id, pk=procedure_id)
        .select_related("authority", "service")
        .first()
    )
    if procedure is None:
        raise Http404
    return procedure
