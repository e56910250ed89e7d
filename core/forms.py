"""Form fields shared by every app."""
from django import forms
from django.utils.translation import gettext_lazy as _

from core.errors import ApplicationError, message_for_reader
from core.uploads import MAX_PHOTO_BYTES, upload_check


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files (at most `max_files`), cleaned to a list. With `photos=True` each one is checked at once
    as a photo (core.uploads.upload_check: real type, name, size); other files are checked by the service that
    stores them, which every path (page, API) goes through."""

    widget = MultipleFileInput

    def __init__(self, *args, max_files: int | None = None, photos: bool = False, **kwargs):
        self.max_files, self.photos = max_files, photos
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if self.max_files is not None and len(files) > self.max_files:
            raise forms.ValidationError(_("一次最多上传 %(n)s 个文件"), params={"n": self.max_files})
        single = super().clean
        cleaned = [single(f, initial) for f in files]
        if self.photos:
            for f in cleaned:
                try:
                    upload_check(f, max_bytes=MAX_PHOTO_BYTES, photos_only=True)
                except ApplicationError as exc:
                    raise forms.ValidationError(message_for_reader(exc)) from None
        return cleaned
