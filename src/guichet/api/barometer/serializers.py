"""The barometer's open data as the OpenAPI schema describes it (the views build dicts)."""

from rest_framework import serializers


class CampaignSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    template = serializers.CharField()


class FrameRowSerializer(serializers.Serializer):
    population = serializers.IntegerField(allow_null=True)
    invited = serializers.IntegerField(min_value=0)
    respondents = serializers.IntegerField(min_value=0)
    response_rate = serializers.FloatField(allow_null=True)


class PreviousCampaignSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    year = serializers.IntegerField()
    respondents = serializers.IntegerField(min_value=0)
    method_breaks = serializers.ListField(
        child=serializers.CharField(), help_text="Items whose wording changed since then."
    )


class CampaignReportSerializer(serializers.Serializer):
    """docs/barometer.md describes `items` and `domains` (shares, Wilson intervals…)."""

    campaign = CampaignSerializer()
    respondents = serializers.IntegerField(min_value=0)
    frame = serializers.DictField(child=FrameRowSerializer(), help_text="By stratum.")
    weighted = serializers.BooleanField()
    items = serializers.DictField(child=serializers.DictField(), help_text="By item code.")
    domains = serializers.DictField(child=serializers.DictField(), help_text="By domain.")
    method = serializers.ListField(child=serializers.CharField())
    previous = PreviousCampaignSerializer(required=False)


class AxisLevelSerializer(serializers.Serializer):
    derived = serializers.IntegerField(allow_null=True, help_text="From the indicators.")
    declared = serializers.IntegerField(allow_null=True, help_text="From the questionnaire.")
    reasons = serializers.ListField(child=serializers.CharField())


class LevelsSerializer(serializers.Serializer):
    authority = serializers.SlugField()
    domains = serializers.DictField(
        child=serializers.DictField(child=AxisLevelSerializer()),
        help_text="By domain, then by axis (`internal`, `relation`).",
    )
