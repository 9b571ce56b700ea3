"""Move the moved models' content types from the assessments app label to epa, keeping their rows.

Content-type ids (and so auth permissions, admin log entries and anything else that points at them) stay the
same. A duplicate created for the epa label before this ran is deleted first. Reversible.
"""

from django.db import migrations

MODELS = [
    "endpointassessment",
    "gatewaysignoff",
    "englishmathsevidence",
    "sbpagreement",
    "sbpsubmission",
    "epaevent",
    "epamethodresult",
    "learneroutcome",
    "completionrecord",
    "completionbatch",
    "historicalendpointassessment",
    "historicalenglishmathsevidence",
    "historicalsbpagreement",
    "historicalepaevent",
    "historicalepamethodresult",
    "historicallearneroutcome",
    "historicalcompletionrecord",
]


def relabel(apps, schema_editor, old_label, new_label):
    content_types = apps.get_model("contenttypes", "ContentType").objects.db_manager(
        schema_editor.connection.alias
    )
    for model in MODELS:
        existing = content_types.filter(app_label=old_label, model=model).first()
        if existing is None:
            continue
        content_types.filter(app_label=new_label, model=model).delete()
        existing.app_label = new_label
        existing.save(update_fields=["app_label"])
    content_types.clear_cache()


def forwards(apps, schema_editor):
    relabel(apps, schema_editor, "assessments", "epa")


def backwards(apps, schema_editor):
    relabel(apps, schema_editor, "epa", "assessments")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("epa", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
