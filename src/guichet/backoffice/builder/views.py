"""The procedure builder's pages, for an authority administrator: parse, authorise, call one
builder service or selector, render or redirect."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.models import Service, User
from guichet.backoffice.builder import forms
from guichet.backoffice.decorators import authority_admin_required
from guichet.core.errors import DomainError, ErrorCode
from guichet.engine import builder
from guichet.engine.definitions import definition_parse
from guichet.engine.forms import PageForm
from guichet.engine.models import Procedure
from guichet.engine.selectors import procedure_current_version

TRIAL_KEY = "builder_trial_{}"
SECTIONS = {"fields": "fields", "statuses": "workflow.statuses"}
TEXT_KINDS = {"emails": "subject", "documents": "title"}


def _admin(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _procedure(request: HttpRequest, procedure_id: int) -> Procedure:
    return builder.procedure_get_for_builder(user=_admin(request), procedure_id=procedure_id)


def _services(request: HttpRequest) -> list[tuple[str, str]]:
    authority = request.authority  # type: ignore[attr-defined]
    return [(s.slug, s.name) for s in Service.objects.filter(authority=authority).order_by("name")]


def _problems_message(request: HttpRequest, error: DomainError) -> list[builder.Problem]:
    if isinstance(error, builder.DefinitionInvalid):
        return error.problems
    return [builder.Problem("", error.message)]


# --- List, create, copy, import ----------------------------------------------------------------


@authority_admin_required
def procedures(request: HttpRequest) -> HttpResponse:
    authority = request.authority  # type: ignore[attr-defined]
    return render(
        request,
        "backoffice/builder/list.html",
        {
            "rows": builder.procedures_for_builder(authority=authority),
            "library": builder.library(),
            "create_form": forms.CreateForm(services=_services(request)),
            "import_form": forms.ImportForm(),
        },
    )


@authority_admin_required
def create(request: HttpRequest) -> HttpResponse:
    form = forms.CreateForm(request.POST or None, services=_services(request))
    problems: list[builder.Problem] = []
    if request.method == "POST" and form.is_valid():
        raw: dict[str, Any] = {}
        form.apply(raw)
        try:
            procedure = builder.procedure_create(
                authority=request.authority,  # type: ignore[attr-defined]
                by=_admin(request),
                raw=raw,
            )
        except DomainError as error:
            problems = _problems_message(request, error)
        else:
            messages.success(request, _("La démarche est créée, en brouillon."))
            return redirect("backoffice:builder_detail", procedure_id=procedure.pk)
    return render(
        request,
        "backoffice/builder/form.html",
        {"form": form, "problems": problems, "title": _("Nouvelle démarche")},
        status=422 if request.method == "POST" else 200,
    )


@authority_admin_required
@require_POST
def copy(request: HttpRequest) -> HttpResponse:
    form = forms.CopyForm(request.POST)
    problems: list[builder.Problem] = []
    if form.is_valid():
        try:
            raw = builder.library_get(key=form.cleaned_data["key"])
            raw |= {"code": form.cleaned_data["code"], "slug": form.cleaned_data["slug"]}
            procedure = builder.draft_import(
                authority=request.authority,  # type: ignore[attr-defined]
                by=_admin(request),
                text=builder.yaml_dump(raw),
                procedure=None,
                create_only=True,
            )
        except DomainError as error:
            problems = _problems_message(request, error)
        else:
            messages.success(request, _("La démarche est copiée, en brouillon."))
            return redirect("backoffice:builder_detail", procedure_id=procedure.pk)
    return render(
        request,
        "backoffice/builder/form.html",
        {"form": form, "problems": problems, "title": _("Copier une démarche")},
        status=422,
    )


@authority_admin_required
def import_yaml(request: HttpRequest) -> HttpResponse:
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    problems: list[builder.Problem] = []
    if request.method == "POST" and form.is_valid():
        try:
            procedure = builder.draft_import(
                authority=request.authority,  # type: ignore[attr-defined]
                by=_admin(request),
                text=form.cleaned_data["source"],
            )
        except DomainError as error:
            problems = _problems_message(request, error)
        else:
            messages.success(request, _("La définition est importée dans le brouillon."))
            return redirect("backoffice:builder_detail", procedure_id=procedure.pk)
    return render(
        request,
        "backoffice/builder/form.html",
        {"form": form, "problems": problems, "title": _("Importer une démarche (YAML)")},
        status=422 if request.method == "POST" else 200,
    )


# --- The draft ---------------------------------------------------------------------------------


def _rows(items: Any, *keys: str) -> list[tuple[int, dict[str, Any], str, str]]:
    """(index, item, its name for people, its condition in words) for the draft's lists."""
    rows = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        name = next((str(item[key]) for key in keys if item.get(key)), str(index + 1))
        condition = item.get("show_if") or {}
        shown = ""
        if isinstance(condition, dict) and condition.get("field"):
            values = condition.get("one_of") or [condition.get("equals")]
            words = [({True: _("oui"), False: _("non")}.get(v, v)) for v in values]
            shown = f"{condition['field']} = {' / '.join(str(w) for w in words)}"
        rows.append((index, item, name, shown))
    return rows


def _draft_context(procedure: Procedure) -> dict[str, Any]:
    raw = builder.procedure_export_whole(procedure=procedure)
    published = procedure_current_version(procedure=procedure)
    old = None
    if published is not None:
        old = {key: getattr(procedure, key) for key in builder.META_KEYS_ALL}
        old |= {"service": procedure.service.slug, **published.definition}
    workflow = raw.get("workflow") or {}
    return {
        "procedure": procedure,
        "raw": raw,
        "draft": builder.draft_get(procedure=procedure),
        "published": published,
        "revision": builder.revision_of(raw),
        "fields": _rows(raw.get("fields"), "label", "title", "text", "type"),
        "statuses": _rows(workflow.get("statuses"), "label", "code"),
        "transitions": _rows(workflow.get("transitions"), "label", "name"),
        "emails": _rows(raw.get("emails"), "subject", "code"),
        "documents": _rows(raw.get("documents"), "title", "code"),
        "initial_form": forms.InitialForm(
            initial={
                "initial_status": workflow.get("initial"),
                "revision": builder.revision_of(raw),
            },
            statuses=_statuses(raw),
        ),
        "problems": builder.definition_problems(raw, whole=True),
        "changes": builder.definition_diff(old, raw) if published else [],
    }


@authority_admin_required
def detail(request: HttpRequest, procedure_id: int) -> HttpResponse:
    procedure = _procedure(request, procedure_id)
    return render(request, "backoffice/builder/detail.html", _draft_context(procedure))


def _edit(
    request: HttpRequest,
    procedure: Procedure,
    form: Any,
    change: Callable[[dict[str, Any]], None],
    title: str,
    *,
    field_form: bool = False,
) -> HttpResponse:
    """Shows `form`; on a valid POST applies `change` to the draft, then back to the draft."""
    problems: list[builder.Problem] = []
    if request.method == "POST" and form.is_valid():
        try:
            builder.draft_edit(
                procedure=procedure,
                by=_admin(request),
                revision=form.cleaned_data.get("revision") or None,
                change=change,
            )
        except DomainError as error:
            problems = _problems_message(request, error)
        else:
            messages.success(request, _("Le brouillon est enregistré."))
            return redirect("backoffice:builder_detail", procedure_id=procedure.pk)
    return render(
        request,
        "backoffice/builder/form.html",
        {
            "form": form,
            "problems": problems,
            "title": title,
            "procedure": procedure,
            "field_form": field_form,
        },
        status=422 if request.method == "POST" else 200,
    )


def _initial(raw: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    return {**values, "revision": builder.revision_of(raw)}


def _statuses(raw: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (s["code"], f"{s.get('label', s['code'])} ({s['code']})")
        for s in (raw.get("workflow") or {}).get("statuses") or []
        if isinstance(s, dict) and s.get("code")
    ]


def _item(items: list[Any], index: int | None) -> dict[str, Any]:
    if index is None:
        return {}
    if not 0 <= index < len(items):
        raise Http404
    return items[index]


def _put(items: list[Any], index: int | None, item: dict[str, Any]) -> None:
    if index is None:
        items.append(item)
    elif 0 <= index < len(items):
        items[index] = item
    else:
        raise DomainError(ErrorCode.ALREADY_DONE, _("Cet élément n'existe plus."))


@authority_admin_required
def settings_edit(request: HttpRequest, procedure_id: int) -> HttpResponse:
    procedure = _procedure(request, procedure_id)
    raw = builder.procedure_export_whole(procedure=procedure)
    form = forms.ProcedureForm(
        request.POST or None,
        initial=_initial(raw, forms.ProcedureForm.initial_from(raw)),
        services=_services(request),
    )
    return _edit(request, procedure, form, lambda d: form.apply(d), _("Réglages de la démarche"))


@authority_admin_required
def field_edit(request: HttpRequest, procedure_id: int, index: int | None = None) -> HttpResponse:
    procedure = _procedure(request, procedure_id)
    raw = builder.procedure_export_whole(procedure=procedure)
    fields = raw.get("fields") or []
    item = _item(fields, index)
    others = [
        (f["name"], f"{f.get('label', f['name'])} ({f['name']})")
        for f in fields
        if isinstance(f, dict) and f.get("name") and f is not item
    ]
    form = forms.FieldForm(
        request.POST or None,
        initial=_initial(raw, forms.FieldForm.initial_from(item) if item else {}),
        others=others,
    )

    def change(definition: dict[str, Any]) -> None:
        _put(definition.setdefault("fields", []), index, form.to_item(item))

    title = _("Modifier le champ") if item else _("Ajouter un champ")
    return _edit(request, procedure, form, change, title, field_form=True)


@authority_admin_required
def status_edit(request: HttpRequest, procedure_id: int, index: int | None = None) -> HttpResponse:
    procedure = _procedure(request, procedure_id)
    raw = builder.procedure_export_whole(procedure=procedure)
    statuses = (raw.get("workflow") or {}).get("statuses") or []
    item = _item(statuses, index)
    form = forms.StatusForm(
        request.POST or None,
        initial=_initial(raw, forms.StatusForm.initial_from(item) if item else {}),
        statuses=_statuses(raw),
        emails=[
            e["code"] for e in raw.get("emails") or [] if isinstance(e, dict) and e.get("code")
        ],
        documents=[
            d["code"] for d in raw.get("documents") or [] if isinstance(d, dict) and d.get("code")
        ],
    )

    def change(definition: dict[str, Any]) -> None:
        workflow = definition.setdefault("workflow", {})
        _put(workflow.setdefault("statuses", []), index, form.to_item(item))
        workflow.setdefault("initial", workflow["statuses"][0]["code"])

    title = _("Modifier le statut") if item else _("Ajouter un statut")
    return _edit(request, procedure, form, change, title)


@authority_admin_required
def transition_edit(
    request: HttpRequest, procedure_id: int, index: int | None = None
) -> HttpResponse:
    procedure = _procedure(request, procedure_id)
    raw = builder.procedure_export_whole(procedure=procedure)
    transitions = (raw.get("workflow") or {}).get("transitions") or []
    item = _item(transitions, index)
    form = forms.TransitionForm(
        request.POST or None,
        initial=_initial(raw, forms.TransitionForm.initial_from(item) if item else {}),
        statuses=_statuses(raw),
    )

    def change(definition: dict[str, Any]) -> None:
        workflow = definition.setdefault("workflow", {})
        _put(workflow.setdefault("transitions", []), index, form.to_item())

    title = _("Modifier la transition") if item else _("Ajouter une transition")
    return _edit(request, procedure, form, change, title)


@authority_admin_required
def text_edit(
    request: HttpRequest, procedure_id: int, kind: str, index: int | None = None
) -> HttpResponse:
    if kind not in TEXT_KINDS:
        raise Http404
    procedure = _procedure(request, procedure_id)
    raw = builder.procedure_export_whole(procedure=procedure)
    item = _item(raw.get(kind) or [], index)
    initial = {
        "code": item.get("code"),
        "title": item.get(TEXT_KINDS[kind]),
        "body": item.get("body"),
    }
    form = forms.TextForm(request.POST or None, initial=_initial(raw, initial if item else {}))

    def change(definition: dict[str, Any]) -> None:
        _put(definition.setdefault(kind, []), index, form.to_item(title_key=TEXT_KINDS[kind]))

    if kind == "emails":
        title = _("Modifier le courriel") if item else _("Ajouter un courriel")
    else:
        title = _("Modifier le document") if item else _("Ajouter un document")
    return _edit(request, procedure, form, change, title)


def _list_of(definition: dict[str, Any], section: str) -> list[Any]:
    if section == "fields":
        return definition.setdefault("fields", [])
    if section in {"statuses", "transitions"}:
        return definition.setdefault("workflow", {}).setdefault(section, [])
    if section in TEXT_KINDS:
        return definition.setdefault(section, [])
    raise Http404


def _post_change(
    request: HttpRequest, procedure_id: int, change: Callable[[dict[str, Any]], None]
) -> HttpResponse:
    procedure = _procedure(request, procedure_id)
    try:
        builder.draft_edit(
            procedure=procedure,
            by=_admin(request),
            revision=request.POST.get("revision") or None,
            change=change,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Le brouillon est enregistré."))
    anchor = request.POST.get("anchor", "")
    target = redirect("backoffice:builder_detail", procedure_id=procedure.pk)
    if anchor.isidentifier():
        target["Location"] += f"#{anchor}"
    return target


@authority_admin_required
@require_POST
def item_delete(request: HttpRequest, procedure_id: int, section: str, index: int) -> HttpResponse:
    def change(definition: dict[str, Any]) -> None:
        items = _list_of(definition, section)
        if not 0 <= index < len(items):
            raise DomainError(ErrorCode.ALREADY_DONE, _("Cet élément n'existe plus."))
        del items[index]

    return _post_change(request, procedure_id, change)


@authority_admin_required
@require_POST
def item_move(request: HttpRequest, procedure_id: int, section: str, index: int) -> HttpResponse:
    """Up or down one place (without JavaScript); `order` (from drag and drop) gives the whole
    new order at once."""

    def change(definition: dict[str, Any]) -> None:
        items = _list_of(definition, section)
        order = request.POST.get("order", "")
        if order:
            positions = [int(p) for p in order.split(",") if p.strip().isdigit()]
            if sorted(positions) != list(range(len(items))):
                raise DomainError(ErrorCode.ALREADY_DONE, _("L'ordre reçu est incomplet."))
            items[:] = [items[p] for p in positions]
            return
        other = index + (1 if request.POST.get("direction") == "down" else -1)
        if not (0 <= index < len(items) and 0 <= other < len(items)):
            raise DomainError(ErrorCode.ALREADY_DONE, _("Cet élément ne peut pas aller là."))
        items[index], items[other] = items[other], items[index]

    return _post_change(request, procedure_id, change)


@authority_admin_required
@require_POST
def initial_set(request: HttpRequest, procedure_id: int) -> HttpResponse:
    def change(definition: dict[str, Any]) -> None:
        definition.setdefault("workflow", {})["initial"] = request.POST.get("initial_status", "")

    return _post_change(request, procedure_id, change)


@authority_admin_required
def yaml_edit(request: HttpRequest, procedure_id: int) -> HttpResponse:
    procedure = _procedure(request, procedure_id)
    raw = builder.procedure_export_whole(procedure=procedure)
    form = forms.YamlForm(
        request.POST or None, initial=_initial(raw, {"source": builder.yaml_dump(raw)})
    )
    problems: list[builder.Problem] = []
    if request.method == "POST" and form.is_valid():
        try:
            definition = builder.yaml_parse(form.cleaned_data["source"])
            builder.draft_save(
                procedure=procedure,
                by=_admin(request),
                definition=definition,
                revision=form.cleaned_data["revision"] or None,
            )
        except DomainError as error:
            problems = _problems_message(request, error)
        else:
            messages.success(request, _("Le brouillon est enregistré."))
            return redirect("backoffice:builder_detail", procedure_id=procedure.pk)
    return render(
        request,
        "backoffice/builder/form.html",
        {
            "form": form,
            "problems": problems,
            "title": _("Modifier en YAML"),
            "procedure": procedure,
        },
        status=422 if request.method == "POST" else 200,
    )


@authority_admin_required
def export(request: HttpRequest, procedure_id: int) -> HttpResponse:
    procedure = _procedure(request, procedure_id)
    raw = builder.procedure_export_whole(procedure=procedure)
    response = HttpResponse(builder.yaml_dump(raw), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{procedure.slug}.yaml"'
    return response


@authority_admin_required
def publish(request: HttpRequest, procedure_id: int) -> HttpResponse:
    procedure = _procedure(request, procedure_id)
    context = _draft_context(procedure)
    if request.method == "POST":
        try:
            version = builder.draft_publish(
                procedure=procedure,
                by=_admin(request),
                revision=request.POST.get("revision") or None,
            )
        except DomainError as error:
            context["problems"] = _problems_message(request, error)
            context["error"] = error.message
        else:
            messages.success(
                request,
                _("La version %(number)s est publiée : les usagers l'utilisent dès maintenant.")
                % {"number": version.number},
            )
            return redirect("backoffice:builder_versions", procedure_id=procedure.pk)
    return render(
        request,
        "backoffice/builder/publish.html",
        context,
        status=422 if request.method == "POST" else 200,
    )


@authority_admin_required
@require_POST
def discard(request: HttpRequest, procedure_id: int) -> HttpResponse:
    procedure = _procedure(request, procedure_id)
    try:
        builder.draft_discard(procedure=procedure, by=_admin(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Le brouillon est abandonné."))
    return redirect("backoffice:builder_detail", procedure_id=procedure.pk)


@authority_admin_required
def versions(request: HttpRequest, procedure_id: int) -> HttpResponse:
    procedure = _procedure(request, procedure_id)
    return render(
        request,
        "backoffice/builder/versions.html",
        {"procedure": procedure, "rows": builder.version_diffs(procedure=procedure)},
    )


# --- Preview and test runs -------------------------------------------------------------------


def _trial(request: HttpRequest, procedure: Procedure) -> builder.Trial:
    return builder.Trial.from_dict(request.session.get(TRIAL_KEY.format(procedure.pk)))


def _trial_keep(request: HttpRequest, procedure: Procedure, trial: builder.Trial) -> None:
    request.session[TRIAL_KEY.format(procedure.pk)] = trial.as_dict()


def _parsed(raw: dict[str, Any]) -> Any:
    try:
        return definition_parse(builder.definition_versioned(raw))
    except (DomainError, KeyError, TypeError, ValueError):
        return None


@authority_admin_required
def trial(request: HttpRequest, procedure_id: int) -> HttpResponse:
    procedure = _procedure(request, procedure_id)
    raw = builder.procedure_export_whole(procedure=procedure)
    parsed = _parsed(raw)
    run = _trial(request, procedure)
    transitions = []
    if parsed is not None and run.status:
        transitions = [t for t in parsed.workflow.transitions if t.source == run.status]
    return render(
        request,
        "backoffice/builder/trial.html",
        {
            "procedure": procedure,
            "raw": raw,
            "parsed": parsed,
            "run": run,
            "pages": list(enumerate(parsed.pages)) if parsed else [],
            "transitions": transitions,
            "comment_form": forms.TrialTransitionForm(),
            "problems": builder.definition_problems(raw, whole=True),
        },
    )


@authority_admin_required
def trial_page(request: HttpRequest, procedure_id: int, page: int) -> HttpResponse:
    """The draft's form page as a resident sees it; answers stay in the session."""
    procedure = _procedure(request, procedure_id)
    raw = builder.procedure_export_whole(procedure=procedure)
    parsed = _parsed(raw)
    if parsed is None or not 0 <= page < len(parsed.pages):
        raise Http404
    run = _trial(request, procedure)
    form = PageForm(page=parsed.pages[page], answers=run.data)
    status = 200
    if request.method == "POST":
        add_row = request.POST.get("add_row", "")
        extra_rows = {add_row: 1} if add_row else None
        form = PageForm(
            page=parsed.pages[page],
            answers=run.data,
            data=request.POST,
            files=request.FILES,
            extra_rows=extra_rows,
        )
        is_valid = form.is_valid()
        answers = form.valid_answers()
        for name, upload in form.uploads().items():
            answers[name] = {"name": upload.name}
        run.data.update(answers)
        _trial_keep(request, procedure, run)
        if add_row:
            form = PageForm(page=parsed.pages[page], answers=run.data, extra_rows=extra_rows)
        elif "previous" in request.POST and page > 0:
            return redirect(
                "backoffice:builder_trial_page", procedure_id=procedure.pk, page=page - 1
            )
        elif is_valid and page + 1 < len(parsed.pages):
            return redirect(
                "backoffice:builder_trial_page", procedure_id=procedure.pk, page=page + 1
            )
        elif is_valid:
            return redirect("backoffice:builder_trial", procedure_id=procedure.pk)
        else:
            status = 422
    return render(
        request,
        "backoffice/builder/trial_page.html",
        {
            "procedure": procedure,
            "raw": raw,
            "form": form,
            "sections": [(parsed.pages[page].title, form.fields_in_order())],
            "page": page,
            "page_count": len(parsed.pages),
            "page_title": parsed.pages[page].title or raw.get("name", ""),
            "answers": run.data,
        },
        status=status,
    )


@authority_admin_required
@require_POST
def trial_step(request: HttpRequest, procedure_id: int) -> HttpResponse:
    procedure = _procedure(request, procedure_id)
    raw = builder.procedure_export_whole(procedure=procedure)
    run = _trial(request, procedure)
    action = request.POST.get("action", "")
    try:
        if action == "reset":
            run = builder.Trial()
        elif action == "submit":
            run = builder.trial_submit(
                procedure=procedure, definition=raw, run=run, by=_admin(request)
            )
        else:
            run = builder.trial_transition(
                procedure=procedure,
                definition=raw,
                run=run,
                by=_admin(request),
                name=action,
                comment=request.POST.get("comment", ""),
            )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        _trial_keep(request, procedure, run)
    return redirect("backoffice:builder_trial", procedure_id=procedure.pk)


@authority_admin_required
def trial_document(
    request: HttpRequest, procedure_id: int, step: int, document: str
) -> HttpResponse:
    procedure = _procedure(request, procedure_id)
    raw = builder.procedure_export_whole(procedure=procedure)
    try:
        content = builder.trial_document(
            procedure=procedure,
            definition=raw,
            run=_trial(request, procedure),
            by=_admin(request),
            step=step,
            document=document,
        )
    except DomainError as error:
        raise Http404 from error
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="essai-{document}.pdf"'
    return response


@authority_admin_required
def preview(request: HttpRequest, procedure_id: int) -> HttpResponse:
    """Every page of the draft's form at once, read only: the live preview beside the editor
    (loaded by builder.js), and a plain page without JavaScript."""
    procedure = _procedure(request, procedure_id)
    raw = builder.procedure_export_whole(procedure=procedure)
    parsed = _parsed(raw)
    pages = []
    if parsed is not None:
        pages = [(p.title, PageForm(page=p, answers={}).fields_in_order()) for p in parsed.pages]
    template = (
        "backoffice/builder/_preview.html"
        if request.GET.get("fragment")
        else "backoffice/builder/preview.html"
    )
    return render(request, template, {"procedure": procedure, "raw": raw, "sections": pages})
