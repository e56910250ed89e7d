"""Photos of a submit that could not be saved (a busy database, another field to correct), kept for the next
submit: stored under a random token in the default storage (drafts/<user>/<token>/), named in a hidden field of
the form shown again, taken back when it is sent, dropped once saved. A token is only its user's; drafts older
than a day are removed when new ones are kept."""
import json
import re
import secrets
import time

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

ROOT = "drafts"
MAX_AGE = 24 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def _folder(user, token: str) -> str | None:
    if not token or not _TOKEN.fullmatch(token) or user is None or user.pk is None:
        return None
    return f"{ROOT}/{user.pk}/{token}"


def keep(user, uploads) -> str:
    """Keep `uploads` (each rewound) for `user`; the token naming them ("" when there are none)."""
    uploads = list(uploads)
    if not uploads or user is None or user.pk is None:
        return ""
    _sweep(user)
    token = secrets.token_urlsafe(18)
    folder = _folder(user, token)
    names = []
    for number, upload in enumerate(uploads):
        upload.seek(0)
        default_storage.save(f"{folder}/{number}.bin", ContentFile(upload.read()))
        upload.seek(0)
        names.append({"name": upload.name, "content_type": getattr(upload, "content_type", "") or ""})
    default_storage.save(f"{folder}/names.json", ContentFile(json.dumps(names).encode()))
    return token


def names(user, token: str) -> list[str]:
    """The file names kept under `token` (none when it is not this user's)."""
    folder = _folder(user, token)
    if folder is None or not default_storage.exists(f"{folder}/names.json"):
        return []
    with default_storage.open(f"{folder}/names.json") as handle:
        return [entry["name"] for entry in json.loads(handle.read())]


def take(user, token: str) -> list[SimpleUploadedFile]:
    """The files kept under `token`, as uploads again (they stay kept until `drop`)."""
    folder = _folder(user, token)
    if folder is None or not default_storage.exists(f"{folder}/names.json"):
        return []
    with default_storage.open(f"{folder}/names.json") as handle:
        entries = json.loads(handle.read())
    files = []
    for number, entry in enumerate(entries):
        with default_storage.open(f"{folder}/{number}.bin") as handle:
            files.append(SimpleUploadedFile(entry["name"], handle.read(), entry.get("content_type") or None))
    return files


def drop(user, token: str) -> None:
    folder = _folder(user, token)
    if folder is None or not default_storage.exists(f"{folder}/names.json"):
        return
    _remove(folder)


def _remove(folder: str) -> None:
    _dirs, files = default_storage.listdir(folder)
    for name in files:
        default_storage.delete(f"{folder}/{name}")
    try:
        default_storage.delete(folder)  # the empty folder (file systems); object stores have none
    except OSError:
        pass


def _sweep(user) -> None:
    """Drafts of `user` older than MAX_AGE."""
    base = f"{ROOT}/{user.pk}"
    try:
        tokens, _files = default_storage.listdir(base)
    except (FileNotFoundError, NotImplementedError):
        return
    now = time.time()
    for token in tokens:
        try:
            age = now - default_storage.get_modified_time(f"{base}/{token}/names.json").timestamp()
        except (FileNotFoundError, OSError, NotImplementedError):
            continue
        if age > MAX_AGE:
            _remove(f"{base}/{token}")
