from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from guichet.individuals.civil_status import ActType, CopyKind, Relationship
from guichet.individuals.services import CivilStatusInput


class ActSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=[value.value for value in ActType])
    copy = serializers.ChoiceField(choices=[value.value for value in CopyKind])
    date = serializers.DateField()
    place = serializers.CharField(max_length=200, allow_blank=True, default="")


class PersonSerializer(serializers.Serializer):
    last_name = serializers.CharField(max_length=150)
    first_names = serializers.CharField(max_length=200)
    parents = serializers.CharField(max_length=300, allow_blank=True, default="")


class RequesterSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    relationship = serializers.ChoiceField(choices=[value.value for value in Relationship])


class CivilStatusRelaySerializer(serializers.Serializer):
    """A civil-status request relayed by a national portal (see docs/individuals.md)."""

    act = ActSerializer()
    person = PersonSerializer()
    requester = RequesterSerializer()
    delivery_address = serializers.CharField(max_length=500)
    copies = serializers.IntegerField(min_value=1, max_value=5, default=1, help_text=_("De 1 à 5"))

    def given(self) -> CivilStatusInput:
        data: dict[str, Any] = self.validated_data  # type: ignore[assignment]
        return CivilStatusInput(
            act_type=data["act"]["type"],
            copy_kind=data["act"]["copy"],
            relationship=data["requester"]["relationship"],
            person_last_name=data["person"]["last_name"],
            person_first_names=data["person"]["first_names"],
            event_date=data["act"]["date"],
            event_place=data["act"]["place"],
            parents=data["person"]["parents"],
            requester_first_name=data["requester"]["first_name"],
            requester_last_name=data["requester"]["last_name"],
            requester_email=data["requester"]["email"],
            delivery_address=data["delivery_address"],
            copies=data["copies"],
        )


class CaseReceiptSerializer(serializers.Serializer):
    """What the relay answers: the case it made (or had made, for a repeated key)."""

    number = serializers.CharField()
    tracking_code = serializers.CharField()
    status = serializers.CharField()


class RelayErrorsSerializer(serializers.Serializer):
    errors = serializers.DictField(
        help_text=_("Par champ (ou par en-tête), la liste des erreurs ; imbriqué comme le corps.")
    )


class DomainRefusalSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
