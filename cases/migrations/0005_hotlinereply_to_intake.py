"""HotlineReply leaves cases' state for intake's (intake/0004); its tables stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_transition_reason_parts'),
        ('intake', '0004_hotlinereply_from_cases'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(database_operations=[], state_operations=[
            migrations.RemoveField(
                model_name='hotlinereply',
                name='complaint',
            ),
            migrations.RemoveField(
                model_name='hotlinereply',
                name='replied_by',
            ),
            migrations.DeleteModel(
                name='HistoricalHotlineReply',
            ),
            migrations.DeleteModel(
                name='HotlineReply',
            ),
        ]),
    ]
