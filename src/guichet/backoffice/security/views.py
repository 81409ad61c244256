"""The agents' second factor: enrol a TOTP application, then give a code at each login."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login

from guichet.backoffice.decorators import agent_required
from guichet.core.http import next_url
from guichet.security import otp


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code à 6 chiffres de votre application d'authentification"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


@agent_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    if otp.totp_device_confirmed(user=request.user) is None:
        return redirect("backoffice:security_otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = otp.totp_verify(user=request.user, token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(next_url(request) or "backoffice:queue")
        form.add_error("token", _("Ce code n'est pas le bon ou a déjà servi."))
    return render(
        request,
        "backoffice/security/otp_verify.html",
        {"form": form, "next": next_url(request)},
        status=422 if form.errors else 200,
    )


@agent_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrolment; once a device is confirmed, replacing it needs the second factor."""
    confirmed = otp.totp_device_confirmed(user=request.user)
    if confirmed is not None and not request.user.is_verified():  # type: ignore[union-attr]
        return redirect("backoffice:security_otp")
    device = otp.totp_device_pending(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = otp.totp_confirm(user=request.user, token=form.cleaned_data["token"])
        if done is not None:
            otp_login(request, done)
            messages.success(request, _("La double authentification est activée."))
            return redirect(next_url(request) or "backoffice:queue")
        form.add_error(
            "token", _("Ce code n'est pas le bon : vérifiez l'heure de votre téléphone.")
        )
    return render(
        request,
        "backoffice/security/otp_setup.html",
        {
            "form": form,
            "secret": otp.totp_secret_base32(device),
            "config_url": device.config_url,
            "next": next_url(request),
        },
        status=422 if form.errors else 200,
    )
