from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("facilities", "0004_link_organisations_by_name")]

    operations = [
        migrations.RemoveField(model_name="booking", name="organisation_name"),
        migrations.RemoveField(model_name="seasonapplication", name="organisation_name"),
    ]
