"""Links the bookings and season applications recorded with an association's name to the
organisation of that name in the same authority. A name matching no organisation (or
several) is kept in the purpose or the activity, so that 0005 loses nothing."""

from django.db import migrations


def _organisation(Organisation, authority_id, name):
    found = list(
        Organisation.objects.filter(authority_id=authority_id, name__iexact=name.strip())[:2]
    )
    return found[0] if len(found) == 1 else None


def link_by_name(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    Booking = apps.get_model("facilities", "Booking")
    SeasonApplication = apps.get_model("facilities", "SeasonApplication")
    for booking in Booking.objects.exclude(organisation_name=""):
        organisation = _organisation(Organisation, booking.authority_id, booking.organisation_name)
        if organisation is not None:
            booking.organisation = organisation
            booking.save(update_fields=["organisation"])
        else:
            booking.purpose = f"{booking.organisation_name} — {booking.purpose}"[:300]
            booking.save(update_fields=["purpose"])
    for application in SeasonApplication.objects.exclude(organisation_name=""):
        organisation = _organisation(
            Organisation, application.authority_id, application.organisation_name
        )
        if organisation is not None:
            application.organisation = organisation
            application.save(update_fields=["organisation"])
        else:
            application.activity = f"{application.organisation_name} — {application.activity}"[:200]
            application.save(update_fields=["activity"])


def names_back(apps, schema_editor):
    Booking = apps.get_model("facilities", "Booking")
    SeasonApplication = apps.get_model("facilities", "SeasonApplication")
    for model in (Booking, SeasonApplication):
        for row in model.objects.filter(organisation__isnull=False).select_related("organisation"):
            row.organisation_name = row.organisation.name
            row.save(update_fields=["organisation_name"])


class Migration(migrations.Migration):
    dependencies = [("facilities", "0003_problem_reports_payments_organisation_links")]

    operations = [migrations.RunPython(link_by_name, names_back)]
