# The training plan's models move from the programmes app to training_plans WITHOUT touching the database:
# the tables keep their names (Meta.db_table, HistoricalRecords(table_name=...)), so this migration only
# changes Django's state. programmes.0005 removes the models from the programmes app's state.

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('programmes', '0004_break_expected_return_and_restart'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalPlanTemplate',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('apprentice_commitments', models.TextField(default='I will attend the online and campus sessions, complete the module assignments and portfolio, record my off-the-job training promptly and accurately, take part in termly progress reviews, and tell my employer and practice tutor early about anything that affects my learning.')),
                        ('employer_commitments', models.TextField(default='We will employ the apprentice for the duration of the apprenticeship, give the off-the-job training time within paid hours, confirm recorded hours promptly, provide work that lets the apprentice develop and evidence the knowledge, skills and behaviours, and take part in progress reviews.')),
                        ('provider_commitments', models.TextField(default='We will deliver the modules as scheduled, give assignment feedback within 15 days, provide a practice tutor who reviews progress with the apprentice and line manager every term, support the portfolio and the end-point assessment, and act promptly on any concern.')),
                        ('support', models.TextField(default="Your practice tutor is your first point of contact. The university's disability and wellbeing services, library and academic skills support are open to apprentices; tell your tutor about any additional learning need so that reasonable adjustments can be agreed and recorded here.", verbose_name='support arrangements')),
                        ('complaints', models.TextField(default="Raise a concern first with your practice tutor or the programme director. If it is not resolved, use the university's complaints procedure; if you remain dissatisfied, you may contact the apprenticeship helpline or the Office for Students.", verbose_name='how to complain')),
                        ('epao_name', models.CharField(blank=True, help_text='Used as the default.', max_length=200, verbose_name='end-point assessment organisation')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('programme', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programmes.programme')),
                    ],
                    options={
                        'verbose_name': 'historical plan template',
                        'verbose_name_plural': 'historical plan templates',
                        'db_table': 'programmes_historicalplantemplate',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='PlanTemplate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('apprentice_commitments', models.TextField(default='I will attend the online and campus sessions, complete the module assignments and portfolio, record my off-the-job training promptly and accurately, take part in termly progress reviews, and tell my employer and practice tutor early about anything that affects my learning.')),
                        ('employer_commitments', models.TextField(default='We will employ the apprentice for the duration of the apprenticeship, give the off-the-job training time within paid hours, confirm recorded hours promptly, provide work that lets the apprentice develop and evidence the knowledge, skills and behaviours, and take part in progress reviews.')),
                        ('provider_commitments', models.TextField(default='We will deliver the modules as scheduled, give assignment feedback within 15 days, provide a practice tutor who reviews progress with the apprentice and line manager every term, support the portfolio and the end-point assessment, and act promptly on any concern.')),
                        ('support', models.TextField(default="Your practice tutor is your first point of contact. The university's disability and wellbeing services, library and academic skills support are open to apprentices; tell your tutor about any additional learning need so that reasonable adjustments can be agreed and recorded here.", verbose_name='support arrangements')),
                        ('complaints', models.TextField(default="Raise a concern first with your practice tutor or the programme director. If it is not resolved, use the university's complaints procedure; if you remain dissatisfied, you may contact the apprenticeship helpline or the Office for Students.", verbose_name='how to complain')),
                        ('epao_name', models.CharField(blank=True, help_text='Used as the default.', max_length=200, verbose_name='end-point assessment organisation')),
                        ('programme', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='plan_template', to='programmes.programme')),
                    ],
                    options={
                        'db_table': 'programmes_plantemplate',
                    },
                ),
                migrations.CreateModel(
                    name='TrainingPlan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField()),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('awaiting_signatures', 'Awaiting signatures'), ('signed', 'Signed'), ('superseded', 'Superseded')], db_index=True, default='draft', max_length=20)),
                        ('revision', models.CharField(choices=[('initial', 'First version'), ('major', 'Revision needing signatures'), ('minor', 'Minor revision (no new signatures)')], default='initial', max_length=10)),
                        ('change_summary', models.TextField(blank=True, help_text='What changed from the previous version, and why.')),
                        ('content', models.JSONField()),
                        ('content_hash', models.CharField(blank=True, editable=False, max_length=64)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('signed_at', models.DateTimeField(blank=True, null=True)),
                        ('superseded_at', models.DateTimeField(blank=True, null=True)),
                        ('requests_sent_at', models.DateTimeField(blank=True, help_text='When signers were first emailed.', null=True)),
                        ('last_reminded_at', models.DateTimeField(blank=True, null=True)),
                        ('tamper_reported_at', models.DateTimeField(blank=True, null=True)),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('enrolment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='training_plans', to='programmes.enrolment')),
                        ('previous', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='training_plans.trainingplan')),
                    ],
                    options={
                        'db_table': 'programmes_trainingplan',
                        'ordering': ['enrolment', '-version'],
                    },
                ),
                migrations.CreateModel(
                    name='PlanSignature',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('apprentice', 'Apprentice'), ('employer', 'Employer (line manager)'), ('provider', 'Provider (programme director)')], max_length=20)),
                        ('typed_name', models.CharField(max_length=200)),
                        ('signed_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('ip_address', models.GenericIPAddressField(blank=True, null=True)),
                        ('user_agent', models.TextField(blank=True)),
                        ('content_hash', models.CharField(max_length=64)),
                        ('method', models.CharField(default='password', help_text='password or mfa', max_length=20)),
                        ('signed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='plan_signatures', to=settings.AUTH_USER_MODEL)),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='signatures', to='training_plans.trainingplan')),
                    ],
                    options={
                        'db_table': 'programmes_plansignature',
                        'ordering': ['plan', 'signed_at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalTrainingPlan',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('version', models.PositiveIntegerField()),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('awaiting_signatures', 'Awaiting signatures'), ('signed', 'Signed'), ('superseded', 'Superseded')], db_index=True, default='draft', max_length=20)),
                        ('revision', models.CharField(choices=[('initial', 'First version'), ('major', 'Revision needing signatures'), ('minor', 'Minor revision (no new signatures)')], default='initial', max_length=10)),
                        ('change_summary', models.TextField(blank=True, help_text='What changed from the previous version, and why.')),
                        ('content', models.JSONField()),
                        ('content_hash', models.CharField(blank=True, editable=False, max_length=64)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('signed_at', models.DateTimeField(blank=True, null=True)),
                        ('superseded_at', models.DateTimeField(blank=True, null=True)),
                        ('tamper_reported_at', models.DateTimeField(blank=True, null=True)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('enrolment', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programmes.enrolment')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('previous', models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='training_plans.trainingplan')),
                    ],
                    options={
                        'verbose_name': 'historical training plan',
                        'verbose_name_plural': 'historical training plans',
                        'db_table': 'programmes_historicaltrainingplan',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.AddConstraint(
                    model_name='trainingplan',
                    constraint=models.UniqueConstraint(fields=('enrolment', 'version'), name='plan_version_unique'),
                ),
                migrations.AddConstraint(
                    model_name='trainingplan',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'draft')), fields=('enrolment',), name='plan_one_draft_per_enrolment'),
                ),
                migrations.AddConstraint(
                    model_name='trainingplan',
                    constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['awaiting_signatures', 'signed'])), fields=('enrolment',), name='plan_one_current_per_enrolment'),
                ),
                migrations.AddConstraint(
                    model_name='plansignature',
                    constraint=models.UniqueConstraint(fields=('plan', 'role'), name='plan_signature_role_unique'),
                ),
            ],
            database_operations=[],
        ),
    ]
