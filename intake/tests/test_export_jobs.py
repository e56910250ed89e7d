"""Large exports (issue 12): the queue's export read as values() rows through a server-side cursor gives the same
file as the model rows did, for every persona (masking included); above the inline limit it runs as a background
job with its progress and a download for the user who asked only; bad filters get a bilingual 400."""
import csv
import io
from datetime import timedelta

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.policy import COMPLAINT_QUEUE, may
from accounts.scope import can_see_personal
from core import export_jobs, exports
from core.models import ExportJob
from intake import exports as intake_exports
from intake import selectors, services
from intake.choices import Channel

pytestmark = pytest.mark.django_db
PERSONAS = ("alice", "ada", "oscar", "owen", "sam", "hana", "gina", "pete", "paul", "carl", "cyrus")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def orders(world, keyword_classifier):
    """Complaints of every shape the columns read: callers to mask, due dates (overdue, soon, none), a duplicate,
    a text starting with "=", several streets and channels."""
    today = timezone.localdate()
    made = []
    rows = [("2026-0106-000123", "楼道飞线充电", "兰溪路88弄", today - timedelta(days=300), Channel.HOTLINE),
            ("2026-1206-000456", "有人搭建阳光房", "兰溪路90弄", today + timedelta(days=1), Channel.HOTLINE),
            ("", "=巡查发现占绿", "金沙江路1518弄", None, Channel.PATROL),
            ("2026-1206-000789", "楼道堆物", "兰溪路92弄", today + timedelta(days=30), Channel.HOTLINE),
            ("2026-1206-000790", "群租", "金沙江路1518弄", today + timedelta(days=3), Channel.HOTLINE)]
    for no, content, address, due, channel in rows:
        made.append(services.complaint_receive(data=services.ComplaintInput(
            channel=channel, content=content, address=address, received_at=timezone.now(),
            caller_name="王秘密", caller_phone="13911112222", external_no=no, due_date=due)))
    from intake.models import Complaint

    Complaint.objects.filter(pk=made[3].pk).update(duplicate_of=made[0])
    Complaint.objects.filter(pk=made[4].pk).update(duplicate_of=made[2])
    return made


def _old_csv(user, query) -> bytes:
    """The export as it was built before: model instances of the filtered queue, `complaint_columns`."""
    target = io.BytesIO()
    complaints = intake_exports.filtered_queue(user, query)
    exports.write_csv(target, complaints.iterator(chunk_size=2), intake_exports.complaint_columns(user))
    return target.getvalue()


def _new_csv(user, query) -> bytes:
    target = io.BytesIO()
    export = intake_exports.complaint_export(user, query)
    exports.write_csv(target, export.objects(), export.columns)
    return target.getvalue()


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("query", ["status=", "", "status=&channel=HOTLINE", "status=&q=兰溪"])
def test_values_rows_give_the_same_file_as_model_rows(world, orders, persona, query):
    user = getattr(world, persona)
    if not may(user, COMPLAINT_QUEUE):
        with pytest.raises(exports.ApplicationError):
            intake_exports.complaint_export(user, QueryDict(query))
        return
    old, new = _old_csv(user, QueryDict(query)), _new_csv(user, QueryDict(query))
    assert new == old
    body = new.decode("utf-8-sig")
    if persona == "alice" and query == "status=":
        assert body.count("\n") == 6 and "王秘密" in body and "'=巡查发现占绿" in body and "超期" in body
        lines = {line.split(",")[0]: line for line in body.splitlines()}
        assert lines[str(orders[3].pk)].endswith(",2026-0106-000123,1")  # 重复于: the primary's 12345 number
        assert lines[str(orders[4].pk)].endswith(f",#{orders[2].pk},1")  # or its id
    if not can_see_personal(user, "caller") and body.count("\n") > 1:
        assert "王秘密" not in body and "13911112222" not in body  # masked as on the queue
        assert "王**" in body or "王*" in body


def test_small_exports_are_downloaded_at_once(client, world, orders):
    client.force_login(world.alice)
    response = client.get(reverse("intake:queue"), {"status": "", "export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert b"".join(response.streaming_content) == _new_csv(world.alice, QueryDict("status="))
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_large_export_runs_as_a_job_with_progress_and_a_download(client, world, orders, settings, fmt,
                                                                    django_capture_on_commit_callbacks,
                                                                    monkeypatch):
    settings.EXPORT_INLINE_MAX_ROWS = 3
    monkeypatch.setattr(export_jobs, "PROGRESS_EVERY", 2)
    seen = []
    real = export_jobs._progress
    monkeypatch.setattr(export_jobs, "_progress", lambda job_id, n: (seen.append(n), real(job_id, n)))
    client.force_login(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("intake:queue"), {"status": "", "channel": "HOTLINE", "export": fmt,
                                                        "page": "2", "export_token": "x"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("exports:job", args=[job.pk])
    assert job.user == world.alice and job.kind == "complaints" and job.fmt == fmt
    assert QueryDict(job.query).dict() == {"status": "", "channel": "HOTLINE"}  # the filters, not page/export
    assert job.status == "DONE" and job.rows_total == job.rows_done == 4 and seen == [2, 4, 4]
    assert job.expires_at > timezone.now() + timedelta(hours=23)
    page = client.get(reverse("exports:job", args=[job.pk]))
    assert page.status_code == 200 and reverse("exports:download", args=[job.pk]) in page.content.decode()
    assert "hx-get" not in page.content.decode()  # done: no more polling
    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    data = b"".join(download.streaming_content)
    expected = _new_csv(world.alice, QueryDict("status=&channel=HOTLINE"))
    if fmt == "csv":
        assert data == expected
    else:
        sheet = load_workbook(io.BytesIO(data), read_only=True).active
        got = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        want = list(csv.reader(io.StringIO(expected.decode("utf-8-sig"))))
        assert [row[0] for row in got] == [row[0] for row in want] and len(got) == 5
        assert got[0] == want[0] and [r[4] for r in got] == [r[4] for r in want]  # headers, callers


def test_a_running_job_polls_its_progress(client, world, orders, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 1
    client.force_login(world.alice)
    response = client.get(reverse("intake:queue"), {"status": "", "export": "csv"})  # on_commit not run: waits
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.status == "PENDING"
    ExportJob.objects.filter(pk=job.pk).update(status="RUNNING", rows_total=5, rows_done=2)
    part = client.get(reverse("exports:progress", args=[job.pk])).content.decode()
    assert f'hx-get="{reverse("exports:progress", args=[job.pk])}"' in part and "40%" in part
    assert "2 / 5" in part
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404  # not ready


def test_another_user_gets_404_and_expired_jobs_are_gone(client, world, orders, settings,
                                                         django_capture_on_commit_callbacks):
    settings.EXPORT_INLINE_MAX_ROWS = 1
    job = export_jobs.job_request(user=world.alice, kind="complaints", fmt="csv", query=QueryDict("status="))
    export_jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "DONE" and job.file.storage.exists(job.file.name)
    for other in (world.ada, world.oscar, world.cyrus):  # a superuser too: the file is the asker's
        client.force_login(other)
        for name in ("exports:job", "exports:progress", "exports:download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404
    client.force_login(world.alice)
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 200
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("exports:download", args=[job.pk])).status_code == 404
    name = job.file.name
    # the daily schedule names a registered task, and that task purges
    from anju.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["purge-expired-exports"]
    assert entry["schedule"].hour == {3}
    assert app.tasks[entry["task"]].apply().get() == 1
    assert not ExportJob.objects.exists() and not job.file.storage.exists(name)


def test_the_job_reads_with_the_askers_scope_and_masking(world, orders, settings):
    assert not can_see_personal(world.cyrus, "caller")
    job = export_jobs.job_request(user=world.cyrus, kind="complaints", fmt="csv", query=QueryDict("status="))
    export_jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.file.read() == _new_csv(world.cyrus, QueryDict("status=")) and job.rows_total == 5
    job = export_jobs.job_request(user=world.sam, kind="complaints", fmt="csv", query=QueryDict("status="))
    export_jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    data = job.file.read()
    assert data == _new_csv(world.sam, QueryDict("status="))
    assert job.rows_total == selectors.complaint_list(user=world.sam).count()


@pytest.mark.parametrize("language, words", [("zh-hans", "筛选条件有误"), ("en", "invalid filters")])
def test_bad_filters_give_a_bilingual_error_not_a_500(client, world, orders, language, words):
    client.force_login(world.alice)
    response = client.get(reverse("intake:queue"), {"export": "csv", "street": "999999", "due": "x"},
                          HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert words in response.content.decode() and "street" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_a_job_whose_filters_went_bad_fails_with_its_reason(world, orders):
    job = export_jobs.job_request(user=world.alice, kind="complaints", fmt="csv", query=QueryDict("street=999999"))
    export_jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "FAILED" and "筛选条件有误" in job.error and not job.file


def test_a_job_runs_once(world, orders):
    job = export_jobs.job_request(user=world.alice, kind="complaints", fmt="csv", query=QueryDict("status="))
    first = export_jobs.job_run(job_id=job.pk)
    name = first.file.name
    again = export_jobs.job_run(job_id=job.pk)
    assert again.status == "DONE" and again.file.name == name

