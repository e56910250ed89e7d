"""Drivers shared by the credit tests: an owner case filed, a failed duty check's negligence case taken to a
final fine, files to upload. Case moves reuse cases/tests/test_paths.py's helpers."""
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import documents, fines
from cases.choices import DocumentKind
from cases.tests.test_paths import (  # noqa: F401
    move,
    notify_fine,
    open_case,
    penalty_row,
    photo,
    serve_notice,
    to_decision,
    to_investigating,
)
from credit.models import DutyCheck

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf(name="说明.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def filed_owner_case(world, code="ILLEGAL_CONSTRUCTION", *, community=None, actor=None):
    """An owner's case opened from a patrol complaint and filed (立案): the duty check opens with it."""
    actor = actor or world.oscar
    case = open_case(world, code, community=community, actor=actor)
    case = move(case, "start_verification", actor)
    return move(case, "file", actor, files=[photo()])


def check_of(case) -> DutyCheck:
    return DutyCheck.objects.get(case=case)


def past_deadline(check):
    """The company's time to answer has run out."""
    DutyCheck.objects.filter(pk=check.pk).update(answer_due=timezone.localdate() - timedelta(days=1))
    check.refresh_from_db()
    return check


def fine_final(world, negligence_case, *, amount="5000", actor=None):
    """Take the negligence case through investigation and a fine decision to a final fine; returns the fine."""
    actor = actor or world.oscar
    case = to_investigating(negligence_case, actor)
    party = case.parties.get(role="PROPERTY_COMPANY")
    case = notify_fine(case, actor, amount, penalty=[penalty_row(case, amount, party=party)],
                       reason="未履行劝阻、制止、报告义务")
    case = to_decision(serve_notice(case, actor), world, actor=actor)
    fine = case.fines.get()
    documents.document_issue(case=case, kind=DocumentKind.PENALTY_DECISION, actor=actor)
    fine.refresh_from_db()
    return fines.fine_make_final(fine=fine, actor=actor)
