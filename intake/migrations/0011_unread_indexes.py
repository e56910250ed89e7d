"""Indexes nobody reads, dropped: each is written with every complaint (the 12345 import writes thousands a
second). On the complaint's history: every copied index but the complaint's id, history_date and history_user
(the history is read per complaint). The complaint's own indexes stay: at five million complaints PostgreSQL
counted a street's complaints by a sequential scan once the street's own index was gone (0.57 s instead of
an index-only scan), for 0.06 s of insert CPU saved per 10,000 rows. Only DROP INDEX on the database: AlterField would make SQLite rebuild the table (losing the
queue indexes of 0008, which the model state does not know) and PostgreSQL re-check the foreign keys."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# the indexes Django named for these fields (the same on every database; PostgreSQL adds a `_like` twin of a
# CharField's), as 0001 created them
DROPPED = {
    "intake_historicalcomplaint": {
        "intake_historicalcomplaint_received_at_c7c0d9ec": "received_at",
        "intake_historicalcomplaint_confidence_5e6db762": "confidence",
        "intake_historicalcomplaint_needs_consultation_f69f5b77": "needs_consultation",
        "intake_historicalcomplaint_status_56a05964": "status",
        "intake_historicalcomplaint_reporter_id_86f43894": "reporter_id",
        "intake_historicalcomplaint_reporting_company_id_9845dfa3": "reporting_company_id",
        "intake_historicalcomplaint_community_id_40dfe07c": "community_id",
        "intake_historicalcomplaint_street_id_7959e805": "street_id",
        "intake_historicalcomplaint_predicted_type_id_6d99012b": "predicted_type_id",
        "intake_historicalcomplaint_predicted_department_id_fb148de9": "predicted_department_id",
        "intake_historicalcomplaint_violation_type_id_01185ee0": "violation_type_id",
        "intake_historicalcomplaint_department_id_0823766b": "department_id",
        "intake_historicalcomplaint_duplicate_of_id_b5c20574": "duplicate_of_id",
        "intake_historicalcomplaint_case_id_c239bfb0": "case_id",
        "intake_historicalcomplaint_batch_id_229e825d": "batch_id",
    },
}
LIKE = {"status"}


def drop(apps, schema_editor):
    for indexes in DROPPED.values():
        for name, column in indexes.items():
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
            if schema_editor.connection.vendor == "postgresql" and column in LIKE:
                schema_editor.execute(f'DROP INDEX IF EXISTS "{name}_like"')


def create(apps, schema_editor):
    for table, indexes in DROPPED.items():
        for name, column in indexes.items():
            schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")')
            if schema_editor.connection.vendor == "postgresql" and column in LIKE:
                schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}_like" ON "{table}" '
                                      f'("{column}" varchar_pattern_ops)')


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0014_history_unread_indexes'),
        ('intake', '0010_import_batch_district'),
        ('registry', '0006_fine_range_data'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop, create, elidable=False)],
            state_operations=[
                migrations.AlterField(
                    model_name='historicalcomplaint',
                    name='batch',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='intake.importbatch', verbose_name='导入批次'),
                ),
                migrations.AlterField(
                    model_name='historicalcomplaint',
                    name='case',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.enforcementcase', verbose_name='所属案件'),
                ),
                migrations.AlterField(
                    model_name='historicalcomplaint',
                    name='community',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.community', verbose_name='小区'),
                ),
                migrations.AlterField(
                    model_name='historicalcomplaint',
                    name='confidence',
                    field=models.FloatField(blank=True, null=True, verbose_name='置信度'),
                ),
                migrations.AlterField(
                    model_name='historicalcomplaint',
                    name='department',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.department', verbose_name='承办部门'),
                ),
                migrations.AlterField(
                    model_name='historicalcomplaint',
                    name='duplicate_of',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='intake.complaint', verbose_name='重复于'),
                ),
                migrations.AlterField(
                    model_name='historicalcomplaint',
                    name='needs_consultation',
                    field=models.BooleanField(default=False, verbose_name='需会诊'),
                ),
                migrations.AlterField(
                    model_name='historicalcomplaint',
                    name='predicted_department',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.department', verbose_name='预测部门'),
                ),
                migrations.AlterField(
                    model_name='historicalcomplaint',
                    name='predicted_type',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.violationtype', verbose_name='预测类型'),
                ),
                migrations.AlterField(
                    model_name='historicalcomplaint',
                    name='received_at',
                    field=models.DateTimeField(verbose_name='受理时间'),
                ),
                migrations.AlterField(
                    model_name='historicalcomplaint',
                    name='reporter',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='登记人'),
                ),
                migrations.AlterField(
                    model_name='historicalcomplaint',
                    name='reporting_company',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.propertycompany', verbose_name='报告物业企业'),
                ),
                migrations.AlterField(
                    model_name='historicalcomplaint',
                    name='status',
                    field=models.CharField(choices=[('NEW', '待分拣'), ('ROUTED', '已分派'), ('REFERRED', '移交主管部门'), ('DUPLICATE', '重复件'), ('IN_CASE', '已立案办理'), ('CLOSED', '已办结'), ('RETURNED', '已退单')], default='NEW', max_length=12, verbose_name='状态'),
                ),
                migrations.AlterField(
                    model_name='historicalcomplaint',
                    name='street',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.street', verbose_name='街镇'),
                ),
                migrations.AlterField(
                    model_name='historicalcomplaint',
                    name='violation_type',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.violationtype', verbose_name='违法类型'),
                ),
            ],
        ),
    ]
