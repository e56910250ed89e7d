"""The case list's exports (issue 10): measures as text in both formats, exactly the rows the filtered list
counts, the export link carrying the list's filters, and never a cut-off file."""
import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases import exports as case_exports
from cases import services
from cases.models import EnforcementCase
from core import exports as core_exports
from intake import services as intake_services
from intake.choices import Channel

pytestmark = pytest.mark.django_db


def receive(content, address):
    return intake_services.complaint_receive(data=intake_services.ComplaintInput(
        channel=Channel.HOTLINE, content=content, address=address, received_at=timezone.now()))


@pytest.fixture
def cases_(world, keyword_classifier):
    """Three cases, two with measures: two in 曹杨新村街道 and one in 长风新村街道."""
    made = [services.case_open_from_complaint(complaint=receive(text, address), actor=world.alice)
            for text, address in [("楼道飞线充电", "兰溪路88弄"), ("有人搭建阳光房", "兰溪路88弄"),
                                  ("有人搭建阳光房", "金沙江路1685弄")]]
    EnforcementCase.objects.filter(pk__in=[made[0].pk, made[2].pk]).update(measures=["DEMOLISH", "FINE"])
    return made


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def table(response, fmt) -> list[list]:
    assert response.status_code == 200, response.status_code
    data = body(response)
    if fmt == "csv":
        return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return [list(r) for r in load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_case_with_its_measures_in_both_formats(client, world, cases_, fmt):
    client.force_login(world.alice)
    total = client.get(reverse("cases:list")).context["total"]
    rows = table(client.get(reverse("cases:list"), {"export": fmt}), fmt)
    measures = rows[0].index("处理措施")
    assert len(rows) - 1 == total == 3
    assert sorted(r[measures] or "" for r in rows[1:]) == ["", "拆除、罚款", "拆除、罚款"]
    response = client.get(reverse("cases:list"), {"export": fmt})
    assert int(response["Content-Length"]) == len(body(response))  # a finished file, its length known


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_link_carries_the_filters_and_the_file_has_the_filtered_rows(client, world, cases_, fmt):
    client.force_login(world.alice)
    filters = {"street": world.caoyang.pk, "q": "兰溪", "page": "1", "sort": "number"}
    page = client.get(reverse("cases:list"), filters)
    href = re.search(rf'data-export="{fmt}" href="([^"]+)"', page.content.decode()).group(1).replace("&amp;", "&")
    assert "page=" not in href and "sort=" not in href and f"street={world.caoyang.pk}" in href
    rows = table(client.get(reverse("cases:list") + href), fmt)
    assert len(rows) - 1 == page.context["total"] == 2


def test_the_boards_overdue_export_opens(client, world, cases_):
    client.force_login(world.alice)
    page = client.get(reverse("cases:board")).content.decode()
    href = re.search(r'data-export="xlsx" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert "due=overdue" in href
    table(client.get(href), "xlsx")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_error_while_building_is_an_error_page_not_a_cut_off_file(client, world, cases_, fmt, monkeypatch):
    seen = []

    def breaks_on_the_second_row(case):
        seen.append(case)
        if len(seen) == 2:
            raise RuntimeError("broken row")
        return "ok"

    columns = case_exports.case_columns
    monkeypatch.setattr("cases.exports.case_columns", lambda user: [*columns(user), ("坏列", breaks_on_the_second_row)])
    client.raise_request_exception = False
    client.force_login(world.alice)
    response = client.get(reverse("cases:list"), {"export": fmt})
    assert response.status_code == 500
    assert "attachment" not in response.get("Content-Disposition", "")


def test_the_export_answers_the_pages_token_so_the_preparing_state_ends(client, world, cases_):
    client.force_login(world.alice)
    response = client.get(reverse("cases:list"), {"export": "csv", "export_token": "abc123"})
    assert response.cookies["export_token"].value == "abc123"
    bad = client.get(reverse("cases:list"), {"export": "csv", "export_token": "<script>"})
    assert "export_token" not in bad.cookies


def test_lazy_labels_become_text_in_any_column():
    from django.utils.translation import gettext_lazy

    text = core_exports.csv_text([object()], [("列", lambda o: gettext_lazy("拆除"))])
    assert text.splitlines()[1] == "拆除"
