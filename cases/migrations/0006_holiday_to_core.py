"""Holiday leaves cases' state for core's (core/0001); its tables and rows stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_hotlinereply_to_intake'),
        ('core', '0001_holiday_from_cases'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(database_operations=[], state_operations=[
            migrations.RemoveField(
                model_name='historicalholiday',
                name='history_user',
            ),
            migrations.DeleteModel(
                name='Holiday',
            ),
            migrations.DeleteModel(
                name='HistoricalHoliday',
            ),
        ]),
    ]
