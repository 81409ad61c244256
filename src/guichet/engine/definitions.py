"""A procedure version's definition: fields and workflow, read from JSON/YAML data.

See docs/procedures.md for the format. Parsing validates the whole definition once,
so the rest of the engine works on typed, frozen values.
"""

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from guichet.core.errors import DomainError, ErrorCode

FIELD_TYPES = {
    "text",
    "textarea",
    "email",
    "phone",
    "number",
    "amount",
    "date",
    "yes_no",
    "choice",
    "multiple_choice",
    "address",
    "map_point",
    "file",
    "siret",
    "iban",
    "group",
    "page",
    "help",
}
INPUT_LESS_TYPES = {"page", "help"}
DOMAINS = ("associations", "individuals", "public_space", "real_estate", "facilities")
APPLICANT = "applicant"
# A status's `deadline` starts a clock on entry; these are the other actions on entry.
ACTIONS = {"notify_applicant", "notify_service", "generate_pdf"}
CHANNELS = ("web", "counter", "phone", "post", "email", "partner")
# Placeholders an authority's own e-mail and document texts may use, besides field names.
PLACEHOLDERS = {
    "numero": "the case number",
    "demarche": "the procedure's name",
    "statut": "the case's status",
    "collectivite": "the authority's name",
    "code_suivi": "the tracking code",
    "demandeur": "the applicant's name",
    "commentaire": "the agent's comment on the transition",
}
PLACEHOLDER = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")


def placeholders_fill(text: str, values: dict[str, Any]) -> str:
    """Replaces each `{{ name }}` by its value (empty when unknown): plain substitution,
    not a template language, so that an authority's texts cannot run anything."""

    def value_of(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        if value is None:
            return ""
        if isinstance(value, bool):
            return "oui" if value else "non"
        if isinstance(value, list):
            return ", ".join(str(item) for item in value)
        if isinstance(value, dict):
            return str(value.get("name", ""))
        return str(value)

    return PLACEHOLDER.sub(value_of, text)


@dataclass(frozen=True, slots=True)
class Condition:
    field: str
    equals: Any = None
    one_of: tuple[Any, ...] = ()

    def holds(self, data: dict[str, Any]) -> bool:
        value = data.get(self.field)
        if self.one_of:
            return value in self.one_of
        if isinstance(value, list):
            return self.equals in value
        return value == self.equals


@dataclass(frozen=True, slots=True)
class FieldDef:
    name: str
    type: str
    label: str = ""
    help: str = ""
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    show_if: Condition | None = None
    prefill: str = ""
    accept: tuple[str, ...] = ()
    max_size_mb: int = 10
    min_value: float | None = None
    max_value: float | None = None
    fields: tuple["FieldDef", ...] = ()
    max_rows: int = 20
    text: str = ""

    @property
    def has_input(self) -> bool:
        return self.type not in INPUT_LESS_TYPES

    def is_shown(self, data: dict[str, Any]) -> bool:
        return self.show_if is None or self.show_if.holds(data)


@dataclass(frozen=True, slots=True)
class Page:
    title: str
    fields: tuple[FieldDef, ...]


@dataclass(frozen=True, slots=True)
class Action:
    action: str
    template: str = ""
    document: str = ""


@dataclass(frozen=True, slots=True)
class DeadlineDef:
    days: int
    to: str = ""  # empty: the clock only alerts agents, nothing happens automatically
    alert_days_before: int = 0
    silence_accord: bool = False


@dataclass(frozen=True, slots=True)
class Status:
    code: str
    label: str
    is_final: bool = False
    outcome: str = ""
    waits_for_applicant: bool = False
    on_enter: tuple[Action, ...] = ()
    deadline: DeadlineDef | None = None


@dataclass(frozen=True, slots=True)
class Transition:
    name: str
    source: str
    target: str
    label: str
    roles: tuple[str, ...]
    comment_required: bool = False


@dataclass(frozen=True, slots=True)
class Workflow:
    initial: str
    statuses: tuple[Status, ...]
    transitions: tuple[Transition, ...]

    def status(self, code: str) -> Status:
        for status in self.statuses:
            if status.code == code:
                return status
        raise DomainError(ErrorCode.INVALID_TRANSITION, f"Unknown status {code!r}")

    def transition(self, name: str) -> Transition:
        for transition in self.transitions:
            if transition.name == name:
                return transition
        raise DomainError(ErrorCode.INVALID_TRANSITION, f"Unknown transition {name!r}")

    def transitions_from(self, status: str, roles: set[str]) -> list[Transition]:
        return [t for t in self.transitions if t.source == status and roles & set(t.roles)]


@dataclass(frozen=True, slots=True)
class Text:
    """An authority's own e-mail (title: the subject) or document, with placeholders."""

    code: str
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class Definition:
    pages: tuple[Page, ...]
    workflow: Workflow
    channels: tuple[str, ...] = CHANNELS
    emails: dict[str, Text] = dataclass_field(default_factory=dict)
    documents: dict[str, Text] = dataclass_field(default_factory=dict)

    @property
    def fields(self) -> list[FieldDef]:
        return [f for page in self.pages for f in page.fields if f.has_input]


def _fail(message: str) -> DomainError:
    return DomainError(ErrorCode.INVALID_DATA, message)


def _parse_field(raw: dict[str, Any]) -> FieldDef:
    kind = raw.get("type", "text")
    if kind not in FIELD_TYPES:
        raise _fail(f"Unknown field type {kind!r}")
    if kind not in INPUT_LESS_TYPES and not raw.get("name"):
        raise _fail(f"A {kind} field needs a name")
    condition = raw.get("show_if")
    choices = tuple(
        (str(c["value"]), str(c.get("label", c["value"])))
        if isinstance(c, dict)
        else (str(c), str(c))
        for c in raw.get("choices", ())
    )
    if kind in {"choice", "multiple_choice"} and not choices:
        raise _fail(f"Field {raw['name']!r} needs choices")
    return FieldDef(
        name=raw.get("name", ""),
        type=kind,
        label=raw.get("label", raw.get("title", "")),
        help=raw.get("help", ""),
        required=bool(raw.get("required", False)),
        choices=choices,
        show_if=Condition(
            field=condition["field"],
            equals=condition.get("equals"),
            one_of=tuple(condition.get("one_of", ())),
        )
        if condition
        else None,
        prefill=raw.get("prefill", ""),
        accept=tuple(raw.get("accept", ("pdf", "jpeg", "png"))),
        max_size_mb=int(raw.get("max_size_mb", 10)),
        min_value=raw.get("min"),
        max_value=raw.get("max"),
        fields=tuple(_parse_field(sub) for sub in raw.get("fields", ())),
        max_rows=int(raw.get("max_rows", 20)),
        text=raw.get("text", ""),
    )


def _paginate(fields: list[FieldDef]) -> tuple[Page, ...]:
    """Splits the flat field list at each `page` break."""
    pages: list[Page] = []
    title, current = "", []
    for item in fields:
        if item.type == "page":
            if current:
                pages.append(Page(title=title, fields=tuple(current)))
            title, current = item.label, []
        else:
            current.append(item)
    if current or not pages:
        pages.append(Page(title=title, fields=tuple(current)))
    return tuple(pages)


def _parse_workflow(raw: dict[str, Any]) -> Workflow:
    statuses = tuple(
        Status(
            code=s["code"],
            label=s.get("label", s["code"]),
            is_final=bool(s.get("final", False)),
            outcome=s.get("outcome", ""),
            waits_for_applicant=bool(s.get("waits_for_applicant", False)),
            on_enter=tuple(Action(**a) for a in s.get("on_enter", ())),
            deadline=DeadlineDef(**s["deadline"]) if s.get("deadline") else None,
        )
        for s in raw.get("statuses", ())
    )
    codes = {s.code for s in statuses}
    for status in statuses:
        for action in status.on_enter:
            if action.action not in ACTIONS:
                raise _fail(f"Unknown action {action.action!r} in status {status.code!r}")
        if status.deadline and status.deadline.to and status.deadline.to not in codes:
            raise _fail(f"Deadline of {status.code!r} goes to unknown {status.deadline.to!r}")
    transitions = tuple(
        Transition(
            name=t.get("name", f"{t['from']}__{t['to']}"),
            source=t["from"],
            target=t["to"],
            label=t.get("label", t["to"]),
            roles=tuple(t.get("roles", ("agent",))),
            comment_required=bool(t.get("comment_required", False)),
        )
        for t in raw.get("transitions", ())
    )
    for transition in transitions:
        if transition.source not in codes or transition.target not in codes:
            raise _fail(f"Transition {transition.name!r} names an unknown status")
    initial = raw.get("initial", statuses[0].code if statuses else "")
    if initial not in codes:
        raise _fail(f"Initial status {initial!r} is not a status")
    return Workflow(initial=initial, statuses=statuses, transitions=transitions)


def definition_parse(raw: dict[str, Any]) -> Definition:
    fields = [_parse_field(item) for item in raw.get("fields", ())]
    names = [f.name for f in fields if f.has_input]
    if len(names) != len(set(names)):
        raise _fail("Field names must be unique")
    return Definition(
        pages=_paginate(fields),
        workflow=_parse_workflow(raw.get("workflow", {})),
        channels=tuple(raw.get("channels") or CHANNELS),
        emails=_parse_texts(raw.get("emails", ()), title="subject"),
        documents=_parse_texts(raw.get("documents", ()), title="title"),
    )


def _parse_texts(raw: Any, *, title: str) -> dict[str, Text]:
    return {
        str(item["code"]): Text(
            code=str(item["code"]), title=str(item.get(title, "")), body=str(item.get("body", ""))
        )
        for item in raw
    }
