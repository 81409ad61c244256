from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Service, User
from guichet.interventions.models import WorkOrder


class WorkOrderForm(forms.ModelForm):
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    assignee = forms.ModelChoiceField(
        label=_("Agent de terrain"), queryset=User.objects.none(), required=False
    )
    before_photo = forms.FileField(
        label=_("Photo avant intervention"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    class Meta:
        model = WorkOrder
        fields = [
            "title",
            "service",
            "description",
            "team",
            "assignee",
            "priority",
            "planned_date",
            "materials",
        ]
        widgets = {
            "planned_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "materials": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, services: Any, agents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["assignee"].queryset = agents
        self.fields["assignee"].label_from_instance = lambda user: user.display_name


class WorkOrderProgressForm(forms.Form):
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png", "capture": "environment"}
        ),
    )
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
