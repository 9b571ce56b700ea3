# The moved models keep their content types: the existing django_content_type rows are relabelled from
# ``portfolios`` to ``otj``, so their ids (and the auth permissions, admin log entries and anything else pointing at
# them) stay as they were. A row already created under ``otj`` (e.g. by a post_migrate run before this migration) is
# a fresh duplicate: it is deleted first. Reversible.

from django.db import migrations

MODELS = [
    'otjactivitytype',
    'offthejobentry',
    'historicaloffthejobentry',
    'historicaloffthejobentry_ksbs',
    'confirmationlink',
    'otjdigest',
    'otjstatusalert',
]


def relabel(apps, from_label, to_label):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    for model in MODELS:
        old = ContentType.objects.filter(app_label=from_label, model=model).first()
        if old is None:
            continue
        ContentType.objects.filter(app_label=to_label, model=model).delete()
        old.app_label = to_label
        old.save(update_fields=['app_label'])
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    relabel(apps, 'portfolios', 'otj')


def backwards(apps, schema_editor):
    relabel(apps, 'otj', 'portfolios')


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('otj', '0001_initial'),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
