# The training plan's models moved to the training_plans app (programmes/training_plans); their tables stay where
# they are, so this migration only removes them from the programmes app's state.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('programmes', '0004_break_expected_return_and_restart'),
        ('training_plans', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='historicaltrainingplan',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='historicaltrainingplan',
                    name='enrolment',
                ),
                migrations.RemoveField(
                    model_name='historicaltrainingplan',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicaltrainingplan',
                    name='previous',
                ),
                migrations.RemoveField(
                    model_name='plansignature',
                    name='plan',
                ),
                migrations.RemoveField(
                    model_name='plansignature',
                    name='signed_by',
                ),
                migrations.RemoveField(
                    model_name='plantemplate',
                    name='programme',
                ),
                migrations.RemoveField(
                    model_name='trainingplan',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='trainingplan',
                    name='enrolment',
                ),
                migrations.RemoveField(
                    model_name='trainingplan',
                    name='previous',
                ),
                migrations.DeleteModel(
                    name='HistoricalPlanTemplate',
                ),
                migrations.DeleteModel(
                    name='HistoricalTrainingPlan',
                ),
                migrations.DeleteModel(
                    name='PlanSignature',
                ),
                migrations.DeleteModel(
                    name='PlanTemplate',
                ),
                migrations.DeleteModel(
                    name='TrainingPlan',
                ),
            ],
            database_operations=[],
        ),
    ]
