"""Indexes for the figures read by period (analytics.metrics, cases.indicators): transitions by time (rework,
rectification, 乱作为 of a month) and by case in time order (a case's timeline, its last closing), cases by their
closing time (结案 of a period), referrals by their answer's due day (移交按时答复率 of a period; the pending ones
for 督办看板's late referrals, most overdue first). Declared in SQL, not in the models' Meta, so the model state stays as it is."""
from django.db import migrations

INDEXES = [
    ("cases_casetransition_at_idx", "cases_casetransition", "at"),
    ("cases_casetransition_case_at_idx", "cases_casetransition", "case_id, at"),
    ("cases_enforcementcase_closed_at_idx", "cases_enforcementcase", "closed_at"),
    ("cases_referral_due_idx", "cases_referral", "due"),
    ("cases_referral_pending_due_idx", "cases_referral", "due) WHERE (status IN ('SENT', 'SIGNED')"),
]


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_stored_file_names")]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
                          f"DROP INDEX IF EXISTS {name}")
        for name, table, columns in INDEXES
    ]
