"""English names of the departments and violation types, shown when English is the active language. A database
default too, so the catalogue migration (0002), run again by tests after a flush, still inserts its rows."""

from django.db import migrations, models


def load(apps, schema_editor):
    from registry import catalogue_data as data

    Department = apps.get_model("registry", "Department")
    ViolationType = apps.get_model("registry", "ViolationType")
    for code, name_en in data.DEPARTMENT_NAMES_EN.items():
        Department.objects.filter(code=code, name_en="").update(name_en=name_en)
    for code, name_en in data.VIOLATION_TYPE_NAMES_EN.items():
        ViolationType.objects.filter(code=code, name_en="").update(name_en=name_en)


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0002_catalogue'),
    ]

    operations = [
        migrations.AddField(
            model_name='department',
            name='name_en',
            field=models.CharField(blank=True, db_default='', default='', help_text='英文界面显示的名称', max_length=100, verbose_name='英文名称'),
        ),
        migrations.AddField(
            model_name='historicaldepartment',
            name='name_en',
            field=models.CharField(blank=True, db_default='', default='', help_text='英文界面显示的名称', max_length=100, verbose_name='英文名称'),
        ),
        migrations.AddField(
            model_name='historicalviolationtype',
            name='name_en',
            field=models.CharField(blank=True, db_default='', default='', help_text='英文界面显示的名称', max_length=100, verbose_name='英文名称'),
        ),
        migrations.AddField(
            model_name='violationtype',
            name='name_en',
            field=models.CharField(blank=True, db_default='', default='', help_text='英文界面显示的名称', max_length=100, verbose_name='英文名称'),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
