from django import forms
from django.utils.translation import gettext_lazy as _


class SubscriptionForm(forms.Form):
    email = forms.EmailField(
        label=_("Votre adresse électronique"),
        help_text=_("Nous vous enverrons un lien pour confirmer ; vous pourrez vous désabonner."),
    )
