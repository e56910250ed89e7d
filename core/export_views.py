"""The page of a background export (progress polled by htmx, then the download) and the download itself.
Only the user who asked sees either: anyone else gets 404."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from core import export_jobs, exports
from core.downloads import file_response
from core.models import ExportJob

XLSX = exports.XLSX


def _back(job) -> str:
    kind = exports.KINDS.get(job.kind)
    if not kind or not kind.back:
        return ""
    try:
        return reverse(kind.back) + (f"?{job.query}" if job.query else "")
    except NoReverseMatch:
        return ""


def _context(job):
    kind = exports.KINDS.get(job.kind)
    return {"job": job, "label": kind.label if kind else job.kind, "back": _back(job)}


@login_required
def job_page(request, pk: int):
    job = export_jobs.job_for(request.user, pk)
    return render(request, "core/export_job.html", _context(job))


@login_required
def job_progress(request, pk: int):
    job = export_jobs.job_for(request.user, pk)
    return render(request, "core/_export_progress.html", _context(job))


@login_required
def job_download(request, pk: int):
    job = export_jobs.job_for(request.user, pk)
    if job.status != ExportJob.Status.DONE or not job.file.name:
        from django.http import Http404

        raise Http404
    content_type = XLSX if job.fmt == "xlsx" else "text/csv; charset=utf-8"
    return file_response(job.file, filename=job.filename or f"export.{job.fmt}", content_type=content_type)
