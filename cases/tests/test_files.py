"""Stored files (issue 10): no public /media/, generated names with the sniffed type's extension, and downloads
only through the scoped views with nosniff."""
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Document, Evidence
from core.uploads import StoredPath
from credit.models import DutyCheckAttachment
from intake import services as intake_services
from intake.choices import Channel
from intake.models import ComplaintPhoto

pytestmark = pytest.mark.django_db
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
STORED = re.compile(r"^evidence/\d{4}/\d{2}/[0-9a-f]{32}\.jpg$")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def receive(content, address):
    return intake_services.complaint_receive(data=intake_services.ComplaintInput(
        channel=Channel.HOTLINE, content=content, address=address, received_at=timezone.now()))


@pytest.fixture
def case(world, keyword_classifier):
    return services.case_open_from_complaint(complaint=receive("楼道飞线充电", "兰溪路88弄"), actor=world.oscar)


def test_no_stored_file_is_served_from_media_to_anyone(client, world, case, media):
    evidence = services.evidence_add(case=case, upload=SimpleUploadedFile("现场.jpg", JPEG), actor=world.oscar)
    (media / "documents" / "2026").mkdir(parents=True)
    (media / "documents" / "2026" / "penalty_decision-2026-00001.docx").write_bytes(b"PK\x03\x04 a document")
    for path in ["/media/documents/2026/penalty_decision-2026-00001.docx", f"/media/{evidence.file.name}"]:
        assert client.get(path).status_code == 404  # anonymous
        client.force_login(world.alice)
        assert client.get(path).status_code == 404  # signed in, even the district's lead
        client.logout()


def test_an_upload_is_stored_under_a_generated_name_with_its_sniffed_extension(client, world, case):
    evidence = services.evidence_add(case=case, upload=SimpleUploadedFile("现场照片", JPEG, content_type="text/html"),
                                     actor=world.oscar)
    assert STORED.match(evidence.file.name) and evidence.original_name == "现场照片"
    assert evidence.content_type == "image/jpeg"
    client.force_login(world.oscar)
    response = client.get(reverse("cases:evidence-file", args=[evidence.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == JPEG
    assert response["Content-Type"] == "image/jpeg" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    download = client.get(reverse("cases:evidence-file", args=[evidence.pk]), {"download": "1"})
    assert download["Content-Disposition"].startswith("attachment")


def test_jpeg_bytes_named_html_are_refused_and_nothing_is_stored(world, case, media):
    from core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        services.evidence_add(case=case, upload=SimpleUploadedFile("x.html", JPEG), actor=world.oscar)
    assert not Evidence.objects.exists() and not list(media.rglob("*.html"))


def test_the_stored_name_never_takes_the_uploaders_name_or_an_active_extension():
    name = StoredPath("evidence")(None, "x.html")
    assert re.match(r"^evidence/\d{4}/\d{2}/[0-9a-f]{32}\.bin$", name)
    assert StoredPath("evidence")(None, "x.jpg") != StoredPath("evidence")(None, "x.jpg")  # never guessable


def test_generated_documents_and_every_file_field_get_generated_names():
    for model in (Document, Evidence, DutyCheckAttachment, ComplaintPhoto):
        assert isinstance(model._meta.get_field("file").upload_to, StoredPath), model
    name = Document._meta.get_field("file").upload_to(None, "penalty_decision-2026-00001.docx")
    assert "penalty" not in name and re.search(r"/[0-9a-f]{32}\.docx$", name)


def test_files_stored_under_their_old_names_still_download(client, world, case, media):
    evidence = services.evidence_add(case=case, upload=SimpleUploadedFile("a.jpg", JPEG), actor=world.oscar)
    old = media / "evidence" / "2026" / "01" / "现场.jpg"
    old.parent.mkdir(parents=True)
    old.write_bytes(JPEG)
    Evidence.objects.filter(pk=evidence.pk).update(file="evidence/2026/01/现场.jpg")
    client.force_login(world.oscar)
    response = client.get(reverse("cases:evidence-file", args=[evidence.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == JPEG


def test_an_out_of_scope_user_gets_no_file(client, world, case):
    evidence = services.evidence_add(case=case, upload=SimpleUploadedFile("a.jpg", JPEG), actor=world.oscar)
    photo = intake_services.photo_add(complaint=case.complaints.first(), upload=SimpleUploadedFile("p.jpg", JPEG))
    for user in (world.owen, world.paul, world.gina):  # another street's officer, a company, a department
        client.force_login(user)
        assert client.get(reverse("cases:evidence-file", args=[evidence.pk])).status_code == 404
        assert client.get(reverse("intake:photo-file", args=[photo.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("intake:photo-file", args=[photo.pk])).status_code == 302  # to the login


def test_a_complaint_photo_goes_out_through_its_view_as_an_image(client, world, case):
    complaint = case.complaints.first()
    photo = intake_services.photo_add(complaint=complaint, upload=SimpleUploadedFile("p.JPG", JPEG))
    assert re.match(r"^complaints/\d{4}/\d{2}/[0-9a-f]{32}\.jpg$", photo.file.name)
    client.force_login(world.oscar)
    page = client.get(reverse("intake:detail", args=[complaint.pk])).content.decode()
    assert reverse("intake:photo-file", args=[photo.pk]) in page and "/media/" not in page
    response = client.get(reverse("intake:photo-file", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
