# The moved models keep their content types (and so their ids, auth permissions and anything that points at them):
# the existing django_content_type rows are relabelled from programmes to training_plans, and back on reversal.

from django.db import migrations

MODELS = ["plantemplate", "historicalplantemplate", "trainingplan", "historicaltrainingplan", "plansignature"]


def relabel(apps, from_label: str, to_label: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=from_label, model=model).first()
        if old is None:
            continue  # a fresh database: post_migrate creates the content types under the new label
        # A row already made under the target label (e.g. by a post_migrate between migrations) is a
        # duplicate with nothing of value pointing at it yet; the old row, with its id, wins.
        ContentType.objects.filter(app_label=to_label, model=model).delete()
        old.app_label = to_label
        old.save(update_fields=["app_label"])


def forwards(apps, schema_editor):
    relabel(apps, "programmes", "training_plans")


def backwards(apps, schema_editor):
    relabel(apps, "training_plans", "programmes")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("training_plans", "0001_initial"),
        ("programmes", "0005_move_training_plans_to_their_own_app"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
