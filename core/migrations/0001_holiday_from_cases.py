"""The holiday calendar (Holiday) moves from cases to core with the working-day calendar (core.calendar). Only
Django's state moves: the tables cases_holiday and cases_historicalholiday keep their names and the rows the
administrator edited (Meta.db_table and HistoricalRecords(table_name=...)); cases/0006 removes it from cases."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def content_types_follow(apps, schema_editor):
    """The model's content types (and so its permissions and admin log) follow it to core."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("holiday", "historicalholiday"):
        if not ContentType.objects.filter(app_label="core", model=model).exists():
            ContentType.objects.filter(app_label="cases", model=model).update(app_label="core")


def content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("holiday", "historicalholiday"):
        if not ContentType.objects.filter(app_label="cases", model=model).exists():
            ContentType.objects.filter(app_label="core", model=model).update(app_label="cases")


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('cases', '0005_hotlinereply_to_intake'),  # the tables exist (cases/0001) and hold the holidays (cases/0002)
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(database_operations=[], state_operations=[
            migrations.CreateModel(
                name='Holiday',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('date', models.DateField(unique=True, verbose_name='日期')),
                    ('name', models.CharField(max_length=50, verbose_name='名称')),
                    ('is_workday', models.BooleanField(default=False, verbose_name='调休上班')),
                ],
                options={
                    'verbose_name': '节假日',
                    'verbose_name_plural': '节假日',
                    'db_table': 'cases_holiday',
                    'ordering': ['date'],
                },
            ),
            migrations.CreateModel(
                name='HistoricalHoliday',
                fields=[
                    ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                    ('date', models.DateField(db_index=True, verbose_name='日期')),
                    ('name', models.CharField(max_length=50, verbose_name='名称')),
                    ('is_workday', models.BooleanField(default=False, verbose_name='调休上班')),
                    ('history_id', models.AutoField(primary_key=True, serialize=False)),
                    ('history_date', models.DateTimeField(db_index=True)),
                    ('history_change_reason', models.CharField(max_length=100, null=True)),
                    ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                    ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'historical 节假日',
                    'verbose_name_plural': 'historical 节假日',
                    'db_table': 'cases_historicalholiday',
                    'ordering': ('-history_date', '-history_id'),
                    'get_latest_by': ('history_date', 'history_id'),
                },
                bases=(simple_history.models.HistoricalChanges, models.Model),
            ),
        ]),
        migrations.RunPython(content_types_follow, content_types_back),
    ]
