"""core.uploads.upload_check: the one check of every stored file (evidence, attachments, complaint photos)."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import ApplicationError
from core.uploads import upload_check

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PDF = b"%PDF-1.7 rest"
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x00\x00"


@pytest.mark.parametrize("name, content, content_type, kind", [
    ("现场.jpg", JPEG, "image/jpeg", "PHOTO"),
    ("scan.bin", PDF, "application/pdf", "PDF"),  # a name without a known suffix keeps the sniffed type
    ("IMG_0001.HEIC", HEIC, "image/heic", "PHOTO"),
    ("clip.mov", MP4, "video/mp4", "VIDEO"),
    ("笔录.docx", b"PK\x03\x04rest", "application/vnd.openxmlformats-officedocument", "OFFICE"),
])
def test_the_type_comes_from_the_content(name, content, content_type, kind):
    checked = upload_check(SimpleUploadedFile(name, content, content_type="text/html"))
    assert (checked.content_type, checked.kind, checked.size, len(checked.sha256)) == (
        content_type, kind, len(content), 64)


@pytest.mark.parametrize("name, content, words", [
    ("photo.html", JPEG, "不符"),  # JPEG bytes named to be opened as a page
    ("photo.pdf", JPEG, "不符"),
    ("photo.jpg", b"<html><script>x</script></html>", "不支持的文件类型"),
    ("archive.zip", b"PK\x03\x04rest", "不支持的文件类型"),
])
def test_a_disguised_file_is_refused(name, content, words):
    with pytest.raises(ApplicationError) as refused:
        upload_check(SimpleUploadedFile(name, content))
    assert words in refused.value.message and refused.value.message_en


def test_photos_only_and_size():
    with pytest.raises(ApplicationError, match="不是图片"):
        upload_check(SimpleUploadedFile("scan.pdf", PDF), photos_only=True)
    with pytest.raises(ApplicationError, match="超过"):
        upload_check(SimpleUploadedFile("a.jpg", JPEG), max_bytes=10)
