"""core.uploads: a refused upload never reaches the importer and says why on the form."""
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core.errors import ApplicationError
from core.uploads import run_table_import


class UploadForm(forms.Form):
    file = forms.FileField()


def bound(name, content=b"a,b\n1,2\n"):
    form = UploadForm(data={}, files={"file": SimpleUploadedFile(name, content)})
    assert form.is_valid()
    return form


def test_a_file_over_the_limit_is_refused_before_the_importer(settings):
    settings.MAX_IMPORT_FILE_BYTES = 4
    calls = []
    form = bound("orders.csv")
    assert run_table_import(form, lambda **kw: calls.append(kw)) is None
    assert calls == [] and "文件超过" in form.errors["file"][0]
    with translation.override("en"):  # in the reader's language only
        form = bound("orders.csv")
        run_table_import(form, lambda **kw: calls.append(kw))
    assert calls == [] and form.errors["file"][0].startswith("The file is larger than")


def test_only_csv_and_xlsx_reach_the_importer():
    calls = []
    form = bound("orders.txt")
    assert run_table_import(form, lambda **kw: calls.append(kw)) is None
    assert calls == [] and "CSV 或 XLSX" in form.errors["file"][0]


def test_the_importer_reads_the_spooled_file_and_its_refusal_lands_on_the_form():
    seen = {}

    def importer(*, path, file_name):
        seen["content"], seen["name"] = open(path, "rb").read(), file_name
        return "report"

    assert run_table_import(bound("工单.CSV"), importer) == "report"
    assert seen == {"content": b"a,b\n1,2\n", "name": "工单.CSV"}

    def refusing(**_kw):
        raise ApplicationError("表头缺少必填列", "missing required columns")

    form = bound("orders.xlsx")
    assert run_table_import(form, refusing) is None and "表头缺少必填列" in form.errors["file"][0]
