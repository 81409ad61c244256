"""A resident's rights over their data: download everything, close the account."""

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from guichet.privacy import services as privacy


class CloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("Je comprends que mon compte sera fermé définitivement"),
        required=True,
    )


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if user.is_agent:  # type: ignore[union-attr]
            form.add_error(
                None,
                _("Le compte d'un agent est fermé par l'administrateur de la collectivité."),
            )
        elif form.is_valid():
            privacy.account_close(user=user)  # type: ignore[arg-type]
            logout(request)
            messages.success(
                request,
                _(
                    "Votre compte est fermé. Les dossiers déjà déposés sont menés à leur terme "
                    "puis conservés le temps que la loi impose."
                ),
            )
            return redirect("frontoffice:home")
    return render(
        request,
        "frontoffice/privacy/my_data.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@require_GET
@login_required
def my_data_download(request: HttpRequest) -> FileResponse:
    handle = privacy.person_export(user=request.user)  # type: ignore[arg-type]
    return FileResponse(handle, as_attachment=True, filename="mes-donnees.zip")
