"""The barometer in the back office: the authority's dashboard and self-assessment (its
administrators), the network's campaigns (network operators)."""

from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.backoffice.barometer import forms
from guichet.backoffice.decorators import agent_required
from guichet.barometer import charts, rendering, selectors, services
from guichet.barometer.indicators import INDICATORS
from guichet.barometer.maturity import AXIS_LABELS
from guichet.barometer.questionnaire import TEMPLATE_2012
from guichet.barometer.report import campaign_report
from guichet.barometer.tasks import snapshots_refresh
from guichet.core.errors import DomainError
from guichet.documents import tables
from guichet.engine.models import Channel
from guichet.tenants.models import Authority

PERIODS = ("month", "quarter", "year")
DOWNLOAD_HEADER = [
    "scope", "scope_label", "period_start", "indicator", "label", "measurable", "count", "base",
    "share", "display",
]  # fmt: skip


def admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The authority's administrators only (others get a 404, as in the back office)."""

    @agent_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authority_admin:  # type: ignore[union-attr]
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def operator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Network operators only. On the campaigns' list, the authority's administrators are
    sent back to their dashboard with an explanation; anyone else, and any page naming a
    campaign, gets a 404 (it says nothing about the campaign)."""

    @agent_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.is_network_operator(request.user, _authority(request)):
            if kwargs or not request.user.is_authority_admin:  # type: ignore[union-attr]
                raise Http404
            messages.error(
                request, _("Les campagnes du baromètre sont réservées aux opérateurs de réseau.")
            )
            return redirect("backoffice:barometer_dashboard")
        return view(request, *args, **kwargs)

    return wrapper


def _authority(request: HttpRequest) -> Authority:
    return request.authority  # type: ignore[attr-defined]


def _percent(block: dict[str, Any]) -> float | None:
    return block.get("share") if block.get("measurable") else None


@admin_required
def dashboard(request: HttpRequest) -> HttpResponse:
    authority = _authority(request)
    period = request.GET.get("period", "month")
    if period not in PERIODS:
        period = "month"
    file_format = request.GET.get("format", "")
    if file_format in ("csv", "xlsx"):
        return _download(authority, period, file_format)
    scopes = selectors.scopes_of(authority=authority)
    scope = request.GET.get("scope", "all")
    if scope not in dict(scopes):
        scope = "all"
    snapshots = selectors.snapshots_for(authority=authority, period=period, scope=scope)
    labels = selectors.indicator_labels()
    trend = [
        {
            "code": code,
            "label": labels[code],
            "cells": [selectors.indicator_display(code, s.values.get(code, {})) for s in snapshots],
        }
        for code in INDICATORS
    ]
    starts = [_period_label(period, s.start) for s in snapshots]
    take_up = [
        (_period_label(period, s.start), _percent(s.values.get("K1", {}))) for s in snapshots
    ]
    payments = [(_period_label(period, s.start), s.values.get("K4", {})) for s in snapshots]
    latest = snapshots[-1].values if snapshots else {}
    channels = latest.get("K1", {}).get("channels", {})
    channel_rows = [
        (label, channels.get(code, {}).get("count", 0), channels.get(code, {}).get("share"))
        for code, label in Channel.choices
    ]
    domains = []
    for level_row in selectors.levels_of(authority=authority):
        domain_snapshots = selectors.snapshots_for(
            authority=authority, period=period, scope=f"domain:{level_row['domain']}"
        )
        level_row["indicators"] = [
            {
                "code": code,
                "label": labels[code],
                "value": selectors.indicator_display(
                    code, domain_snapshots[-1].values.get(code, {}) if domain_snapshots else {}
                ),
            }
            for code in ("K1", "K2", "K3", "K4", "K5", "K6", "K7")
        ]
        for axis in level_row["axes"]:
            axis["label"] = AXIS_LABELS[axis["axis"]]
        domains.append(level_row)
    return render(
        request,
        "backoffice/barometer/dashboard.html",
        {
            "period": period,
            "scope": scope,
            "scopes": scopes,
            "scope_label": dict(scopes)[scope],
            "invitations": selectors.invitations_of(authority=authority),
            "periods": [(p, label) for p, label in _period_labels()],
            "starts": starts,
            "trend": trend,
            "take_up_chart": charts.columns(
                title=_("Dépôt en ligne (K1) par période"),
                description=_("Part des dossiers déposés en ligne ; période : %(period)s")
                % {"period": dict(_period_labels())[period]},
                points=take_up,
            ),
            "take_up": [
                (label, "—" if v is None else f"{round(v * 100)} %") for label, v in take_up
            ],
            "channels_chart": charts.columns(
                title=_("Canaux de dépôt, dernière période"),
                description=_("Part de chaque canal dans les dossiers déposés"),
                points=[(str(label)[:10], share) for label, _count, share in channel_rows],
            ),
            "channel_rows": [
                (label, count, "—" if share is None else f"{round(share * 100)} %")
                for label, count, share in channel_rows
            ],
            "payments_chart": charts.columns(
                title=_("Paiement en ligne (K4) par période"),
                description=_(
                    "Part des sommes facturées dans la période payées en ligne, en nombre ; "
                    "période : %(period)s"
                )
                % {"period": dict(_period_labels())[period]},
                points=[(label, _percent(block)) for label, block in payments],
            ),
            "payment_rows": [_payment_row(label, block) for label, block in payments],
            "domains": domains,
            "computed_at": snapshots[-1].computed_at if snapshots else None,
            "is_operator": selectors.is_network_operator(request.user, authority),
        },
    )


def _payment_row(label: str, block: dict[str, Any]) -> tuple[str, ...]:
    """K4 of one period as table cells: charges billed, paid online, in number and amount."""
    if not block.get("measurable"):
        return (label, "0", "0", "—", "—", "—", "—")
    amount = block["amount"]
    return (
        label,
        str(block["base"]),
        str(block["count"]),
        f"{round(block['share'] * 100)} %",
        _euros(amount["billed"]),
        _euros(amount["paid_online"]),
        f"{round(amount['share'] * 100)} %",
    )


def _euros(amount: str) -> str:
    return f"{number_format(Decimal(amount), 2, force_grouping=True)} €"


def _period_label(period: str, start: Any) -> str:
    if period == "year":
        return str(start.year)
    if period == "quarter":
        return _("T%(quarter)s %(year)s") % {
            "quarter": (start.month - 1) // 3 + 1,
            "year": start.year,
        }
    return start.strftime("%m/%Y")


def _period_labels() -> list[tuple[str, str]]:
    return [("month", _("Mois")), ("quarter", _("Trimestre")), ("year", _("Année"))]


def _download(authority: Authority, period: str, file_format: str) -> HttpResponse:
    rows = selectors.indicator_rows(authority=authority, period=period)
    name = f"indicateurs-{authority.slug}-{period}.{file_format}"
    if file_format == "csv":
        content: bytes = "".join(tables.csv_stream(header=DOWNLOAD_HEADER, rows=rows)).encode()
    else:
        content = tables.xlsx_file(title="indicateurs", header=DOWNLOAD_HEADER, rows=rows).read()
    response = HttpResponse(content, content_type=tables.FORMATS[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@admin_required
def refresh(request: HttpRequest) -> HttpResponse:
    authority_id = _authority(request).pk
    transaction.on_commit(lambda: snapshots_refresh.enqueue(authority_id))
    messages.success(request, _("Le calcul des indicateurs est lancé."))
    return redirect("backoffice:barometer_dashboard")


@admin_required
def questionnaire(request: HttpRequest) -> HttpResponse:
    authority = _authority(request)
    year = timezone.localdate().year
    stratum = services.stratum_of(authority)
    declaration = selectors.declaration_current(authority=authority, year=year)
    if declaration is not None:
        initial = dict(declaration.answers)
    else:  # prefilled from the derived levels
        initial = {
            f"q6_{row['domain']}_{axis['axis']}": axis["derived"]
            for row in selectors.levels_of(authority=authority, year=year)
            for axis in row["axes"]
            if axis["derived"] is not None
        }
    form = forms.QuestionnaireForm(
        request.POST if request.method == "POST" else None,
        template=TEMPLATE_2012,
        stratum=stratum,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.declaration_save(
                authority=authority,
                by=request.user,
                year=year,
                cells=form.cells(),  # type: ignore[arg-type]
            )
        except services.ImportRejected as rejected:
            for error in rejected.errors:
                form.add_error(error.column if error.column in form.fields else None, error.message)
        else:
            messages.success(request, _("Votre autoévaluation est enregistrée."))
            return redirect("backoffice:barometer_dashboard")
    return render(
        request,
        "backoffice/barometer/questionnaire.html",
        {"form": form, "year": year, "prefilled": declaration is None},
    )


# --- Campaigns (network operators) ----------------------------------------------------------


@operator_required
def campaigns(request: HttpRequest) -> HttpResponse:
    authority = _authority(request)
    form = forms.CampaignForm(
        request.POST if request.method == "POST" else None, initial={"template": "2012"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(authority=authority, **form.cleaned_data)
        except DomainError as error:
            form.add_error("slug", error.message)
        else:
            messages.success(request, _("Campagne créée."))
            return redirect("backoffice:barometer_campaign", campaign_id=campaign.pk)
    return render(
        request,
        "backoffice/barometer/campaigns.html",
        {"campaigns": selectors.campaigns_of(authority=authority), "form": form},
    )


@operator_required
def campaign(request: HttpRequest, campaign_id: int) -> HttpResponse:
    authority = _authority(request)
    found = selectors.campaign_get(authority=authority, campaign_id=campaign_id)
    file_format = request.GET.get("format", "")
    report = campaign_report(found)
    if file_format in rendering.FORMATS:
        types = {
            "json": "application/json",
            "html": "text/html; charset=utf-8",
            "pdf": "application/pdf",
        }
        response = HttpResponse(
            rendering.report_render(report, file_format),
            content_type=types.get(file_format) or tables.FORMATS[file_format],
        )
        response["Content-Disposition"] = f'attachment; filename="{found.slug}.{file_format}"'
        return response
    frame = {f.stratum: f for f in found.frame.all()}
    frame_initial = {}
    for stratum, row in frame.items():
        frame_initial[f"{stratum}_population"] = row.population
        frame_initial[f"{stratum}_invited"] = row.invited
    return render(
        request,
        "backoffice/barometer/campaign.html",
        {
            "campaign": found,
            "import_form": forms.ImportForm(),
            "frame_form": forms.FrameForm(initial=frame_initial),
            "invite_form": forms.InviteForm(authorities=Authority.objects.all()),
            "invitations": found.invitations.select_related("authority"),
            "formats": rendering.FORMATS,
            **rendering.report_context(report),
        },
    )


@require_POST
@operator_required
def campaign_import(request: HttpRequest, campaign_id: int) -> HttpResponse:
    found = selectors.campaign_get(authority=_authority(request), campaign_id=campaign_id)
    form = forms.ImportForm(request.POST, request.FILES)
    errors: list[str] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            counts = services.respondents_import(
                campaign=found, content=upload.read(), name=upload.name
            )
        except services.ImportRejected as rejected:
            errors = [rejected.message, *[str(e) for e in rejected.errors]]
        else:
            messages.success(
                request,
                _("%(created)s répondants ajoutés, %(updated)s mis à jour.") % counts,
            )
            return redirect("backoffice:barometer_campaign", campaign_id=found.pk)
    return render(
        request,
        "backoffice/barometer/import.html",
        {"campaign": found, "form": form, "errors": errors},
        status=400,
    )


@require_POST
@operator_required
def campaign_frame(request: HttpRequest, campaign_id: int) -> HttpResponse:
    found = selectors.campaign_get(authority=_authority(request), campaign_id=campaign_id)
    form = forms.FrameForm(request.POST)
    if form.is_valid():
        services.frame_set(campaign=found, frame=form.frame())
        messages.success(request, _("Base de sondage enregistrée."))
    else:
        messages.error(request, _("Base de sondage invalide : des nombres entiers positifs."))
    return redirect("backoffice:barometer_campaign", campaign_id=found.pk)


@require_POST
@operator_required
def campaign_invite(request: HttpRequest, campaign_id: int) -> HttpResponse:
    found = selectors.campaign_get(authority=_authority(request), campaign_id=campaign_id)
    form = forms.InviteForm(request.POST, authorities=Authority.objects.all())
    if form.is_valid():
        services.authority_invite(campaign=found, authority=form.cleaned_data["authority"])
        messages.success(request, _("Collectivité invitée."))
    return redirect("backoffice:barometer_campaign", campaign_id=found.pk)


@require_POST
@operator_required
def campaign_publish(request: HttpRequest, campaign_id: int) -> HttpResponse:
    found = selectors.campaign_get(authority=_authority(request), campaign_id=campaign_id)
    services.campaign_publish(campaign=found, published=request.POST.get("published") == "1")
    return redirect("backoffice:barometer_campaign", campaign_id=found.pk)
