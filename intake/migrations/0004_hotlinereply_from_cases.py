"""The 12345 reply (HotlineReply) moves from cases to intake, with its complaint. Only Django's state moves: the
tables cases_hotlinereply and cases_historicalhotlinereply keep their names and rows (Meta.db_table and
HistoricalRecords(table_name=...) on the model); cases/0005 removes the model from cases' state."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def content_types_follow(apps, schema_editor):
    """The model's content types (and so its permissions and admin log) follow it to intake."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("hotlinereply", "historicalhotlinereply"):
        if not ContentType.objects.filter(app_label="intake", model=model).exists():
            ContentType.objects.filter(app_label="cases", model=model).update(app_label="intake")


def content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("hotlinereply", "historicalhotlinereply"):
        if not ContentType.objects.filter(app_label="cases", model=model).exists():
            ContentType.objects.filter(app_label="intake", model=model).update(app_label="cases")


class Migration(migrations.Migration):

    dependencies = [
        ('intake', '0003_complaint_status_label'),
        ('cases', '0004_transition_reason_parts'),  # the tables exist (cases/0001)
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(database_operations=[], state_operations=[
            migrations.CreateModel(
                name='HistoricalHotlineReply',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('reply', models.TextField(verbose_name='答复市民要点')),
                    ('result', models.CharField(choices=[('SOLVED', '解决'), ('UNSOLVED', '未解决'), ('PARTLY', '部分解决'), ('RETURNED', '不办理退单')], max_length=10, verbose_name='办理结果')),
                    ('return_reason', models.CharField(blank=True, max_length=300, verbose_name='退单理由')),
                    ('satisfaction', models.CharField(blank=True, choices=[('SATISFIED', '满意'), ('BASICALLY', '基本满意'), ('UNSATISFIED', '不满意')], max_length=12, verbose_name='满意度')),
                    ('replied_at', models.DateTimeField(verbose_name='答复时间')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('complaint', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='intake.complaint')),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('replied_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='答复人')),
                ],
                options={
                    'verbose_name': 'historical 工单答复',
                    'verbose_name_plural': 'historical 工单答复',
                    'db_table': 'cases_historicalhotlinereply',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
            migrations.CreateModel(
                name='HotlineReply',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('reply', models.TextField(verbose_name='答复市民要点')),
                    ('result', models.CharField(choices=[('SOLVED', '解决'), ('UNSOLVED', '未解决'), ('PARTLY', '部分解决'), ('RETURNED', '不办理退单')], max_length=10, verbose_name='办理结果')),
                    ('return_reason', models.CharField(blank=True, max_length=300, verbose_name='退单理由')),
                    ('satisfaction', models.CharField(blank=True, choices=[('SATISFIED', '满意'), ('BASICALLY', '基本满意'), ('UNSATISFIED', '不满意')], max_length=12, verbose_name='满意度')),
                    ('replied_at', models.DateTimeField(verbose_name='答复时间')),
                    ('complaint', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='reply', to='intake.complaint')),
                    ('replied_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to=settings.AUTH_USER_MODEL, verbose_name='答复人')),
                ],
                options={
                    'verbose_name': '工单答复',
                    'verbose_name_plural': '工单答复',
                    'db_table': 'cases_hotlinereply',
                },
            ),
        ]),
        migrations.RunPython(content_types_follow, content_types_back),
    ]
