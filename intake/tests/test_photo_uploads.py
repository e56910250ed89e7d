"""Complaint photos pass the same upload checks as every stored file (core.uploads.upload_check): type sniffed
from the content, a name that agrees with it, a size limit. A refused photo gets a clear error on the page, in
the reader's language (Chinese or English), and changes nothing: no complaint, no photo row, no file."""
import re

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.errors import ApplicationError
from core.uploads import MAX_PHOTO_BYTES
from intake import services
from intake.choices import Channel
from intake.models import Complaint, ComplaintPhoto

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"


def patrol(client, photo):
    return client.post(reverse("intake:patrol"), {
        "channel": "PATROL", "content": "楼道飞线充电", "address": "兰溪路88弄", "received_at": "2026-11-20 10:00",
        "photos": photo})


def nothing_written(media):
    return (not Complaint.objects.exists() and not ComplaintPhoto.objects.exists()
            and not [p for p in media.rglob("*") if p.is_file()])


@pytest.mark.parametrize("photo, zh, en", [
    (lambda: SimpleUploadedFile("site.html", JPEG, content_type="image/jpeg"), "与文件内容（image/jpeg）不符",
     "does not match the file"),
    (lambda: SimpleUploadedFile("site.jpg", HTML, content_type="image/jpeg"), "不是图片文件", "is not an image"),
    (lambda: SimpleUploadedFile("site.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", content_type="image/svg"),
     "不是图片文件", "is not an image"),
    (lambda: SimpleUploadedFile("big.jpg", JPEG + b"\x00" * MAX_PHOTO_BYTES, content_type="image/jpeg"),
     "超过10MB", "larger than 10 MB"),
], ids=["jpeg-named-html", "html-named-jpg", "svg", "too-large"])
def test_a_refused_photo_on_the_page_says_why_and_changes_nothing(client, world, keyword_classifier, settings,
                                                                  tmp_path, photo, zh, en):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.oscar)
    response = patrol(client, photo())
    page = response.content.decode()
    assert response.status_code == 200 and zh in page and en not in page  # in the reader's language only
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = patrol(client, photo()).content.decode()
    assert en in page and zh not in page
    assert nothing_written(tmp_path)


def test_the_service_checks_photos_too_before_writing_anything(world, keyword_classifier, settings, tmp_path):
    """A path that skips the form (the API, a command) still gets the checks: complaint_receive refuses."""
    settings.MEDIA_ROOT = tmp_path
    data = services.ComplaintInput(channel=Channel.PATROL, content="楼道飞线充电", address="兰溪路88弄",
                                   received_at=timezone.now(), reporter=world.oscar)
    good, disguised = SimpleUploadedFile("a.jpg", JPEG), SimpleUploadedFile("b.html", JPEG)
    with pytest.raises(ApplicationError) as refused:
        services.complaint_receive(data=data, photos=[good, disguised])
    assert "b.html" in refused.value.message and "does not match" in refused.value.message_en
    assert nothing_written(tmp_path)


def test_a_real_photo_is_kept_with_its_digest(client, world, keyword_classifier, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.oscar)
    assert patrol(client, SimpleUploadedFile("现场.JPG", JPEG, content_type="image/jpeg")).status_code == 302
    photo = ComplaintPhoto.objects.get()
    # stored under a generated name with the sniffed type's extension, never the uploader's name (issue 10)
    assert len(photo.sha256) == 64 and re.fullmatch(r"complaints/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", photo.file.name)
