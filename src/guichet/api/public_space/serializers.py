"""Open311 GeoReport v2 bodies as the OpenAPI schema describes them.

The views build these bodies as dicts (the XML renderer needs the same data); these
serializers only describe them, and tests/api/test_schemathesis.py checks that every answer
conforms. JSON and XML carry the same fields (XML: the element names of the specification).
"""

from rest_framework import serializers


class Open311ErrorSerializer(serializers.Serializer):
    code = serializers.IntegerField(help_text="The HTTP status, repeated.")
    description = serializers.CharField()


class ServiceSerializer(serializers.Serializer):
    service_code = serializers.CharField()
    service_name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    metadata = serializers.BooleanField(help_text="True when the service has extra questions.")
    type = serializers.ChoiceField(choices=["realtime", "batch", "blackbox"])
    keywords = serializers.CharField(allow_blank=True)
    group = serializers.CharField(allow_blank=True)


class AttributeValueSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class AttributeSerializer(serializers.Serializer):
    variable = serializers.BooleanField()
    code = serializers.CharField()
    datatype = serializers.ChoiceField(
        choices=["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
    )
    required = serializers.BooleanField()
    datatype_description = serializers.CharField(allow_blank=True)
    order = serializers.IntegerField(min_value=1)
    description = serializers.CharField()
    values = AttributeValueSerializer(many=True)


class ServiceDefinitionSerializer(serializers.Serializer):
    service_code = serializers.CharField()
    attributes = AttributeSerializer(many=True)


class ServiceRequestSerializer(serializers.Serializer):
    service_request_id = serializers.CharField()
    status = serializers.ChoiceField(choices=["open", "closed"])
    status_notes = serializers.CharField(allow_blank=True)
    service_name = serializers.CharField()
    service_code = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    agency_responsible = serializers.CharField(allow_blank=True)
    service_notice = serializers.CharField(allow_blank=True)
    requested_datetime = serializers.DateTimeField()
    updated_datetime = serializers.DateTimeField()
    expected_datetime = serializers.DateTimeField(allow_null=True)
    address = serializers.CharField(allow_blank=True)
    address_id = serializers.CharField(allow_null=True)
    zipcode = serializers.CharField(allow_null=True)
    lat = serializers.CharField(allow_null=True, help_text="Decimal degrees (WGS84), as text.")
    long = serializers.CharField(allow_null=True, help_text="Decimal degrees (WGS84), as text.")
    media_url = serializers.CharField(allow_blank=True)


class ServiceRequestCreatedSerializer(serializers.Serializer):
    service_request_id = serializers.CharField()
    token = serializers.UUIDField()
    service_notice = serializers.CharField(allow_blank=True)
    account_id = serializers.CharField(allow_null=True)


class TokenSerializer(serializers.Serializer):
    service_request_id = serializers.CharField()
    token = serializers.UUIDField()


class ServiceRequestUpdateSerializer(serializers.Serializer):
    update_id = serializers.CharField()
    service_request_id = serializers.CharField()
    status = serializers.ChoiceField(choices=["open", "closed"])
    updated_datetime = serializers.DateTimeField()
    description = serializers.CharField(allow_blank=True)
    media_url = serializers.CharField(allow_blank=True)


class EndpointSerializer(serializers.Serializer):
    specification = serializers.CharField()
    url = serializers.URLField()
    changeset = serializers.DateTimeField()
    type = serializers.ChoiceField(choices=["production", "test"])
    formats = serializers.ListField(child=serializers.CharField())


class DiscoverySerializer(serializers.Serializer):
    changeset = serializers.DateTimeField()
    contact = serializers.CharField(allow_blank=True)
    key_service = serializers.CharField(allow_blank=True)
    endpoints = EndpointSerializer(many=True)


class ServiceRequestInputSerializer(serializers.Serializer):
    """`POST requests` (form fields, as the specification sends them; JSON also read).

    Extra questions come as `attribute[<code>]=value`, lists as repeated
    `attribute[<code>][]=value`.
    """

    api_key = serializers.CharField(
        required=False, help_text="The key, when not sent in a header (scope `open311`)."
    )
    jurisdiction_id = serializers.CharField(
        required=False, help_text="The authority's slug; required on the platform's own hosts."
    )
    service_code = serializers.CharField()
    lat = serializers.CharField(required=False, help_text="Decimal degrees (WGS84).")
    long = serializers.CharField(required=False, help_text="Decimal degrees (WGS84).")
    address_string = serializers.CharField(
        required=False, help_text="Required when lat and long are not given."
    )
    description = serializers.CharField(required=False)
    first_name = serializers.CharField(required=False)
    last_name = serializers.CharField(required=False)
    email = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)
    media_url = serializers.CharField(required=False)
