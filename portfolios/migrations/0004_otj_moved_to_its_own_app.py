# The off-the-job ledger's models moved to the ``otj`` app (portfolios.otj), keeping their tables. This removes them
# from this app's model state only: nothing in the database changes (otj 0001_initial took them over first).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('portfolios', '0003_otj_activity_types'),
        ('otj', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='HistoricalOffTheJobEntry_ksbs'),
                migrations.DeleteModel(name='HistoricalOffTheJobEntry'),
                migrations.DeleteModel(name='ConfirmationLink'),
                migrations.DeleteModel(name='OffTheJobEntry'),
                migrations.DeleteModel(name='OTJActivityType'),
                migrations.DeleteModel(name='OTJDigest'),
                migrations.DeleteModel(name='OTJStatusAlert'),
            ],
        ),
    ]
