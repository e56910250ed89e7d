"""Bulletins (通报): the command writes both files and their figures are the metrics'; the page refuses first
(a company, a department, a street user asking for another street's or the district's bulletin), then makes one
in the background with its progress, and turns bad input away with a clear message, never a 500."""
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from analytics import metrics
from analytics.periods import Period
from bulletins import services
from bulletins.choices import Status
from bulletins.models import Bulletin
from cases.tests.test_paths import open_case
from intake.choices import Channel, ComplaintStatus
from intake.models import Complaint
from registry.models import ViolationType

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def month():
    today = timezone.localdate()
    return Period.month(today.year, today.month)


@pytest.fixture
def district(world, month):
    """This month: three residents' complaints in 曹杨 (兰溪一村), one in 长风 (金沙雅苑), one patrol finding (not
    a resident's) and one case opened from it."""
    for _i in range(3):
        _hotline("EBIKE_CHARGING", world.caoyang_a)
    _hotline("GROUP_RENTING", world.changfeng_b)
    case = open_case(world, "ILLEGAL_CONSTRUCTION")
    return {"case": case}


def _hotline(code, community):
    return Complaint.objects.create(
        channel=Channel.HOTLINE, received_at=timezone.now(), content="楼道里有人给电瓶车充电", address_text="兰溪路88弄",
        community=community, street=community.street, violation_type=ViolationType.objects.get(code=code),
        status=ComplaintStatus.ROUTED)


def _docx_tables(path) -> dict[str, list[list[str]]]:
    """Each table of the Word file by its caption (the paragraph before it)."""
    doc = Document(path)
    body = doc.element.body
    out, caption = {}, ""
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[1]
        if tag == "p":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            if text.strip():
                caption = text.strip()
        elif tag == "tbl":
            table = next(t for t in doc.tables if t._tbl is child)
            out[caption] = [[c.text for c in row.cells] for row in table.rows]
    return out


def _row(rows, first: str) -> list:
    return next(r for r in rows if r[0] == first)


def test_command_writes_both_files_with_the_metrics_figures(district, month, tmp_path):
    out = tmp_path / "通报.docx"
    call_command("bulletin", period=month.code, out=str(out))
    assert out.exists() and out.with_suffix(".xlsx").exists()
    rate = metrics.complaints_per_10k(metrics.SYSTEM, month)[0]
    figures = metrics.effectiveness(metrics.SYSTEM, month)
    assert rate.complaints == 4 and rate.population == 210_000  # the fixture, through the metrics
    assert figures["received"].value == 5 and figures["filed"].value == 1

    doc = Document(out)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "普陀区住宅小区违法违规行为治理工作通报" in text and f"（{month.label}）" in text
    for bad in ("None", "nan", "NaN", "EBIKE_CHARGING", "GROUP_RENTING"):
        assert bad not in text
    tables = _docx_tables(out)
    headline = tables["表一  主要指标"]
    assert _row(headline, "投诉万人比")[1] == f"{rate.per_10k:.2f}"
    assert _row(headline, "投诉万人比")[2] == "4 件 ÷ 210,000 人 × 10000"
    assert _row(headline, "受理数")[1] == "5"
    assert _row(headline, "立案数")[1] == "1"
    assert _row(headline, "应结案数")[1] == str(figures["due"].value)
    closing = figures["closing_rate"]
    assert _row(headline, "结案率")[2] == (f"{closing.numerator} ÷ {closing.denominator}"
                                          if closing.denominator is not None else "—")
    streets = tables["表二  各街镇主要指标"]
    assert _row(streets, "曹杨新村街道")[1:4] == ["3", "100,000", "0.30"]
    assert _row(streets, "长风新村街道")[1:4] == ["1", "110,000", "0.09"]
    assert _row(streets, "全区合计")[1] == "4"
    types = tables["表三  各类违法违规行为诉件数"]
    assert [r[0] for r in types[1:3]] == ["电动自行车违规充电", "违法搭建"] or types[1][1] == "3"
    assert any(p._element.xpath(".//pic:pic") for p in doc.paragraphs), "the charts are images in the file"
    # the East-Asian font is set, so Word and LibreOffice print Chinese in a Chinese face
    assert doc.styles["Normal"].element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋"

    book = load_workbook(out.with_suffix(".xlsx"))
    assert {"说明", "主要指标", "各街镇", "违法类型", "街镇排名", "超期案件", "督办案件"} <= set(book.sheetnames)
    sheet = book["主要指标"]
    assert [c.value for c in sheet[2]][:2] == ["指标", "本期"] and sheet["A2"].font.bold
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    assert values["受理数"] == 5 and isinstance(values["受理数"], int)
    assert values["投诉万人比"] == pytest.approx(rate.per_10k)
    if closing.value is not None:
        assert values["结案率"] == pytest.approx(closing.value / 100)  # a fraction with a % format
    rows = {row[0]: row for row in book["各街镇"].iter_rows(min_row=3, values_only=True) if row[0]}
    assert rows["曹杨新村街道"][1:4] == (3, 100_000, pytest.approx(0.3))
    assert book["各街镇"].column_dimensions["A"].width >= 18


def test_command_for_one_street(district, month, tmp_path):
    out = tmp_path / "caoyang.docx"
    call_command("bulletin", period=month.code, street="曹杨新村街道", out=str(out))
    doc = Document(out)
    assert "曹杨新村街道住宅小区违法违规行为治理工作通报" in "".join(p.text for p in doc.paragraphs)
    tables = _docx_tables(out)
    communities = tables["表二  各小区主要指标"]
    assert _row(communities, "兰溪一村")[1:4] == ["3", "2,000", "15.00"]
    assert all(r[0] != "金沙雅苑" for r in communities), "another street's community"
    book = load_workbook(out.with_suffix(".xlsx"))
    assert "各小区" in book.sheetnames and "街镇排名" not in book.sheetnames


@pytest.mark.parametrize("period, street, words", [
    ("2026-13", "", "月份"), ("2026", "", "月或按季度"), ("2026-Q5", "", "无法识别"), ("next month", "", "无法识别"),
    ("2026-11", "火星街道", "没有名为“火星街道”的街镇"),
])
def test_command_refuses_bad_input(world, tmp_path, period, street, words):
    with pytest.raises(CommandError) as refused:
        call_command("bulletin", period=period, street=street, out=str(tmp_path / "x.docx"))
    assert words in str(refused.value) and " / " in str(refused.value)  # Chinese, then English
    assert not (tmp_path / "x.docx").exists()


def test_command_refuses_a_future_period_and_a_wrong_name(world, tmp_path):
    later = timezone.localdate() + timedelta(days=70)
    with pytest.raises(CommandError, match="尚未开始"):
        call_command("bulletin", period=f"{later.year}-{later.month:02d}", out=str(tmp_path / "x.docx"))
    with pytest.raises(CommandError, match=r"\.docx"):
        call_command("bulletin", period="2026-11", out=str(tmp_path / "x.pdf"))


# --- the page ----------------------------------------------------------------------------------------

def _get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(name, args=args), params)


def test_the_page_refuses_companies_and_departments(client, world):
    for user in (world.paul, world.hana):
        assert _get(client, user, "bulletins:list").status_code == 403
        assert client.post(reverse("bulletins:make"), {"period": "2026-11"}).status_code == 403
    assert Bulletin.objects.count() == 0


def test_a_street_user_reads_its_own_and_the_districts_only(client, world):
    mine = Bulletin.objects.create(period="2026-11", kind="month", street=world.changfeng, title="长风通报")
    theirs = Bulletin.objects.create(period="2026-11", kind="month", street=world.caoyang, title="曹杨通报")
    whole = Bulletin.objects.create(period="2026-11", kind="month", street=None, title="全区通报")
    page = _get(client, world.sam, "bulletins:list").content.decode()
    assert "长风通报" in page and "全区通报" in page and "曹杨通报" not in page
    for name in ("bulletins:row", "bulletins:docx", "bulletins:xlsx"):
        assert _get(client, world.sam, name, theirs.pk).status_code == 404
    assert _get(client, world.sam, "bulletins:row", mine.pk).status_code == 200
    assert _get(client, world.sam, "bulletins:row", whole.pk).status_code == 200
    page = _get(client, world.alice, "bulletins:list", street=world.caoyang.pk).content.decode()
    assert "曹杨通报" in page and "长风通报" not in page


def test_a_street_user_cannot_make_another_streets_or_the_districts(client, world, month):
    client.force_login(world.sam)
    for street in (world.caoyang.pk, ""):
        response = client.post(reverse("bulletins:make"), {"period": month.code, "street": street})
        assert response.status_code == 400
        assert "只能制作本街镇的通报" in response.content.decode() or "全区通报由区城管执法局制作" in \
            response.content.decode()
    assert Bulletin.objects.count() == 0
    with pytest.raises(Exception, match="只能制作本街镇"):
        services.bulletin_request(actor=world.sam, period=month.code, street=world.caoyang)


@pytest.mark.parametrize("period, words", [("2026-13", "月份“13”无效"), ("2026", "按月或按季度"), ("", "")])
def test_bad_periods_on_the_page(client, world, period, words):
    client.force_login(world.alice)
    response = client.post(reverse("bulletins:make"), {"period": period})
    assert response.status_code == 400
    assert words in response.content.decode()
    assert Bulletin.objects.count() == 0
    client.cookies["django_language"] = "en"
    response = client.post(reverse("bulletins:make"), {"period": "2026-13"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400


def test_an_unknown_street_on_the_page(client, world, month):
    client.force_login(world.alice)
    response = client.post(reverse("bulletins:make"), {"period": month.code, "street": "99999"})
    assert response.status_code == 400 and "没有该街镇" in response.content.decode()
    response = client.post(reverse("bulletins:make"), {"period": month.code, "street": "abc"})
    assert response.status_code == 400


def test_made_in_the_background_with_progress_then_downloaded(client, world, district, month, monkeypatch,
                                                              django_capture_on_commit_callbacks):
    seen = []
    original = services._progress

    def record(bulletin_id, pct):
        seen.append(pct)
        original(bulletin_id, pct)

    monkeypatch.setattr(services, "_progress", record)
    client.force_login(world.oscar)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("bulletins:make"), {"period": month.code, "street": world.caoyang.pk})
    assert response.status_code == 302
    bulletin = Bulletin.objects.get()
    assert bulletin.status == Status.DONE and bulletin.progress == 100 and bulletin.created_by == world.oscar
    assert seen == sorted(seen) and len(seen) >= 5 and seen[-1] < 100, seen
    assert bulletin.seconds is not None and bulletin.docx.name.startswith("bulletins/")
    assert "曹杨" not in bulletin.docx.name  # a generated name, nothing guessable
    word = _get(client, world.oscar, "bulletins:docx", bulletin.pk)
    assert word.status_code == 200 and word["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert word["X-Content-Type-Options"] == "nosniff" and "attachment" in word["Content-Disposition"]
    excel = _get(client, world.oscar, "bulletins:xlsx", bulletin.pk)
    assert excel.status_code == 200 and b"".join(excel.streaming_content)[:2] == b"PK"
    page = _get(client, world.oscar, "bulletins:list").content.decode()
    assert reverse("bulletins:docx", args=[bulletin.pk]) in page
    # owen (长风) never sees 曹杨's bulletin
    assert _get(client, world.owen, "bulletins:docx", bulletin.pk).status_code == 404


def test_a_running_bulletin_is_polled_and_a_failed_one_says_so(client, world, month, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    running = Bulletin.objects.create(period=month.code, kind="month", status=Status.RUNNING, progress=40,
                                      title="生成中的通报")
    row = _get(client, world.alice, "bulletins:row", running.pk).content.decode()
    assert 'hx-trigger="every 2s"' in row and "40%" in row
    assert _get(client, world.alice, "bulletins:docx", running.pk).status_code == 404

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.content_module, "gather", broken)
    client.force_login(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("bulletins:make"), {"period": month.code})
    assert response.status_code == 302
    failed = Bulletin.objects.exclude(pk=running.pk).get()
    assert failed.status == Status.FAILED and "disk full" in failed.error and not failed.docx
    row = _get(client, world.alice, "bulletins:row", failed.pk).content.decode()
    assert "生成失败" in row and "hx-trigger" not in row and "disk full" not in row


def test_without_a_chinese_font_the_bulletin_says_so_instead_of_empty_boxes(district, month, tmp_path, monkeypatch):
    from bulletins import charts

    monkeypatch.setattr(charts, "available", lambda: False)
    out = tmp_path / "plain.docx"
    call_command("bulletin", period=month.code, out=str(out))
    doc = Document(out)
    assert not any(p._element.xpath(".//pic:pic") for p in doc.paragraphs)
    assert "本机未安装中文字体，图表未生成" in "\n".join(p.text for p in doc.paragraphs)


def test_a_running_period_and_a_baseline_before_the_data_are_said_plainly(district, month, tmp_path):
    out = tmp_path / "running.docx"
    call_command("bulletin", period=month.code, out=str(out))
    text = "\n".join(p.text for p in Document(out).paragraphs)
    today = timezone.localdate()
    if today < month.end:
        assert f"数据截至{today.year}年{today.month}月{today.day}日" in text and "仅供参考" in text
    assert f"基期（{month.year_ago().label}）平台尚无数据" in text  # the world's data begins today
    headline = _docx_tables(out)["表一  主要指标"]
    assert len(headline[0]) == 5, "no baseline columns of dashes"
