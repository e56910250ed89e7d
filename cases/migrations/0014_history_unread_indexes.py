"""The case history's copies of the case's indexes, dropped: the history is read per case (its id, by
history_date; those indexes and history_user stay). Only DROP INDEX on the database (AlterField would make
SQLite rebuild the table)."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

DROPPED = {
    "cases_historicalenforcementcase": {
        "cases_historicalenforcementcase_number_f8fb5d5a": "number",
        "cases_historicalenforcementcase_violation_type_id_c5902213": "violation_type_id",
        "cases_historicalenforcementcase_community_id_100c4207": "community_id",
        "cases_historicalenforcementcase_street_id_c9e4bfca": "street_id",
        "cases_historicalenforcementcase_officer_id_f6718b61": "officer_id",
        "cases_historicalenforcementcase_co_officer_id_ffd59c63": "co_officer_id",
        "cases_historicalenforcementcase_state_dfac8d7b": "state",
        "cases_historicalenforcementcase_state_due_7ddb7959": "state_due",
        "cases_historicalenforcementcase_referred_to_id_9db5ee6f": "referred_to_id",
        "cases_historicalenforcementcase_reopened_from_id_e8476b03": "reopened_from_id",
    },
}
LIKE = {"number", "state"}


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
        ('cases', '0013_list_indexes'),
        ('registry', '0006_fine_range_data'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop, create, elidable=False)],
            state_operations=[
                migrations.AlterField(
                    model_name='historicalenforcementcase',
                    name='co_officer',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='协办队员'),
                ),
                migrations.AlterField(
                    model_name='historicalenforcementcase',
                    name='community',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.community', verbose_name='小区'),
                ),
                migrations.AlterField(
                    model_name='historicalenforcementcase',
                    name='number',
                    field=models.CharField(max_length=32, verbose_name='案件编号'),
                ),
                migrations.AlterField(
                    model_name='historicalenforcementcase',
                    name='officer',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='承办队员'),
                ),
                migrations.AlterField(
                    model_name='historicalenforcementcase',
                    name='referred_to',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.department', verbose_name='移交部门'),
                ),
                migrations.AlterField(
                    model_name='historicalenforcementcase',
                    name='reopened_from',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.enforcementcase', verbose_name='回潮关联案件'),
                ),
                migrations.AlterField(
                    model_name='historicalenforcementcase',
                    name='state',
                    field=models.CharField(choices=[('REGISTERED', '线索登记'), ('VERIFYING', '核查'), ('FILED', '立案'), ('INVESTIGATING', '调查取证'), ('NOTICE', '事先告知'), ('DEFENCE', '陈述申辩'), ('HEARING', '听证'), ('LEGAL_REVIEW', '法制审核'), ('APPROVAL', '负责人审批'), ('DECIDED', '处理决定'), ('RECTIFYING', '整改期限'), ('REVIEWING', '复查'), ('ENFORCING', '申请强制执行'), ('CLOSED', '结案'), ('REFERRED', '移交')], default='REGISTERED', max_length=16, verbose_name='状态'),
                ),
                migrations.AlterField(
                    model_name='historicalenforcementcase',
                    name='state_due',
                    field=models.DateField(blank=True, null=True, verbose_name='本阶段期限'),
                ),
                migrations.AlterField(
                    model_name='historicalenforcementcase',
                    name='street',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.street', verbose_name='街镇'),
                ),
                migrations.AlterField(
                    model_name='historicalenforcementcase',
                    name='violation_type',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.violationtype', verbose_name='违法类型'),
                ),
            ],
        ),
    ]
