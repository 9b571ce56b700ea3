"""Load the activity types of domain.md §4 (portfolios.otj.activity_types)."""

from django.db import migrations

from portfolios.otj.activity_types import ensure_activity_types


def add_types(apps, schema_editor):
    ensure_activity_types(apps.get_model("portfolios", "OTJActivityType"))


class Migration(migrations.Migration):
    dependencies = [("portfolios", "0002_otj_ledger")]
    operations = [migrations.RunPython(add_types, migrations.RunPython.noop)]
