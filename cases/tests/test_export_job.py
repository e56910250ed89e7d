"""The case list's export above the inline limit runs as a background job (core.exports, issue 12): the same file
as the immediate download, for its owner only; bad filters a bilingual 400."""
import pytest
from django.urls import reverse

from cases.tests.test_exports import body, cases_  # noqa: F401  (the fixture)
from core.models import ExportJob

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("query", [{}, {"street": ""}, {"q": "阳光房"}])
def test_a_large_case_export_is_the_same_file_as_a_small_one(client, world, cases_, settings, query,  # noqa: F811
                                                              django_capture_on_commit_callbacks):
    client.force_login(world.oscar)
    inline = body(client.get(reverse("cases:list"), {**query, "export": "csv"}))
    settings.EXPORT_INLINE_MAX_ROWS = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("cases:list"), {**query, "export": "csv"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.kind == "cases" and job.status == "DONE"
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert body(download) == inline and inline.decode("utf-8-sig").count("\n") == 1 + job.rows_total
    assert "cases/" in client.get(reverse("exports:job", args=[job.pk])).content.decode()  # back to the list
    client.force_login(world.owen)
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404


def test_bad_case_filters_are_a_400(client, world, cases_):  # noqa: F811
    client.force_login(world.alice)
    response = client.get(reverse("cases:list"), {"export": "xlsx", "street": "abc"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "invalid filters (street)" in response.content.decode()
