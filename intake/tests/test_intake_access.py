"""Intake pages and API, tested from the side of the user who must be refused."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from intake import services
from intake.choices import Channel, ComplaintStatus
from intake.models import Complaint

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def complaints(world, keyword_classifier):
    def make(content, address, **extra):
        return services.complaint_receive(data=services.ComplaintInput(
            channel=Channel.HOTLINE, content=content, address=address, received_at=timezone.now(),
            caller_name="张三", caller_phone="13700001234", **extra))

    return {
        "caoyang": make("楼道飞线充电", "兰溪路88弄", external_no="H-1"),
        "changfeng": make("有人搭建阳光房", "金沙江路1685弄", external_no="H-2"),
        "housing": make("物业费涨价", "云岭东路345号", external_no="H-3"),
    }


# persona → complaints it sees
SCOPE = {
    "alice": {"caoyang", "changfeng", "housing"},
    "oscar": {"caoyang"},
    "sam": {"changfeng", "housing"},
    "hana": {"housing"},
    "paul": set(),
    "carl": set(),
}


@pytest.mark.parametrize("persona", SCOPE)
@pytest.mark.parametrize("which", ["caoyang", "changfeng", "housing"])
def test_complaint_page_and_api_are_404_outside_scope(client, world, complaints, persona, which):
    client.force_login(getattr(world, persona))
    pk = complaints[which].pk
    expected = 200 if which in SCOPE[persona] else 404
    assert client.get(reverse("intake:detail", args=[pk])).status_code == expected
    assert client.get(f"/api/v1/complaints/{pk}/").status_code == expected


@pytest.mark.parametrize("persona", ["alice", "oscar", "sam", "hana"])
def test_queue_and_export_show_only_scope(client, world, complaints, persona):
    client.force_login(getattr(world, persona))
    html = client.get(reverse("intake:queue")).content.decode()
    export = b"".join(client.get(reverse("intake:queue"), {"export": "csv"}).streaming_content).decode("utf-8-sig")
    for which, complaint in complaints.items():
        assert (complaint.content in html) == (which in SCOPE[persona])
        assert (complaint.content in export) == (which in SCOPE[persona])


def test_the_queue_opens_on_what_still_waits_and_shows_all_on_request(client, world, complaints):
    Complaint.objects.filter(pk=complaints["changfeng"].pk).update(status=ComplaintStatus.CLOSED)
    client.force_login(world.alice)
    waiting = client.get(reverse("intake:queue")).content.decode()
    assert complaints["caoyang"].content in waiting and complaints["housing"].content in waiting
    assert complaints["changfeng"].content not in waiting
    everything = client.get(reverse("intake:queue"), {"status": ""}).content.decode()  # 全部状态
    assert all(complaint.content in everything for complaint in complaints.values())
    closed = client.get(reverse("intake:queue"), {"status": "CLOSED"}).content.decode()
    assert complaints["changfeng"].content in closed and complaints["caoyang"].content not in closed
    assert client.get("/api/v1/complaints/", {"status": "OPEN"}).json()["count"] == 2
    assert client.get("/api/v1/complaints/").json()["count"] == 3  # the API filters only when asked


def test_property_user_never_sees_residents_complaints(client, world, complaints):
    client.force_login(world.paul)
    assert client.get(reverse("intake:queue")).status_code == 302
    assert client.get("/api/v1/complaints/").json()["count"] == 0


def test_caller_is_masked_for_a_department(client, world, complaints):
    client.force_login(world.hana)
    body = client.get(reverse("intake:detail", args=[complaints["housing"].pk])).content.decode()
    assert "13700001234" not in body and "137****1234" in body and "张三" not in body
    api = client.get(f"/api/v1/complaints/{complaints['housing'].pk}/").json()
    assert api["caller_phone"] == "137****1234"
    client.force_login(world.sam)
    assert "13700001234" in client.get(reverse("intake:detail", args=[complaints["housing"].pk])).content.decode()


def test_department_cannot_correct_and_street_cannot_touch_another_streets(client, world, complaints):
    client.force_login(world.hana)
    response = client.post(reverse("intake:confirm", args=[complaints["housing"].pk]))
    assert response.status_code == 403
    assert client.post(f"/api/v1/complaints/{complaints['housing'].pk}/confirm/").status_code == 403
    client.force_login(world.sam)
    assert client.post(reverse("intake:confirm", args=[complaints["caoyang"].pk])).status_code == 404
    assert client.post(f"/api/v1/complaints/{complaints['caoyang'].pk}/confirm/").status_code == 404
    complaints["caoyang"].refresh_from_db()
    assert complaints["caoyang"].type_source == "MODEL"


def test_one_click_confirm_from_the_queue(client, world, complaints):
    client.force_login(world.oscar)
    pk = complaints["caoyang"].pk
    response = client.post(reverse("intake:confirm", args=[pk]), {"from": "queue"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and f'id="complaint-{pk}"' in response.content.decode()
    assert Complaint.objects.get(pk=pk).type_source == "STAFF"


def test_correct_type_through_the_page_and_the_api(client, world, complaints):
    client.force_login(world.oscar)
    pk = complaints["caoyang"].pk
    client.post(reverse("intake:correct-type", args=[pk]), {"violation_type": "EBIKE_PARKING", "reason": "只停放"})
    assert Complaint.objects.get(pk=pk).violation_type.code == "EBIKE_PARKING"
    bad = client.post(f"/api/v1/complaints/{pk}/correct-type/", {"violation_type": "NOPE"})
    assert bad.status_code == 400 and "未知违法类型" in bad.json()["detail"]
    assert Complaint.objects.get(pk=pk).violation_type.code == "EBIKE_PARKING"


def test_api_files_a_patrol_finding_and_refuses_the_wrong_role(client, world, keyword_classifier):
    client.force_login(world.oscar)
    ok = client.post("/api/v1/intake/patrol/", {"content": "巡查发现楼道飞线充电", "address": "兰溪路88弄"},
                     content_type="application/json")
    assert ok.status_code == 201, ok.content
    assert ok.json()["violation_type"] == "EBIKE_CHARGING" and ok.json()["community_name"] == "兰溪一村"
    client.force_login(world.paul)
    refused = client.post("/api/v1/intake/patrol/", {"content": "楼道飞线充电"}, content_type="application/json")
    assert refused.status_code == 403
    assert client.post("/api/v1/intake/nowhere/", {"content": "x"}, content_type="application/json").status_code == 404


def test_api_rejects_bad_fields_and_stores_nothing(client, world, keyword_classifier):
    client.force_login(world.oscar)
    before = Complaint.objects.count()
    for payload in [{"content": ""}, {"content": "楼道飞线充电", "lat": 200}, {"address": "兰溪路88弄"},
                    {"content": "楼道飞线充电", "received_at": "昨天"}]:
        response = client.post("/api/v1/intake/manual/", payload, content_type="application/json")
        assert response.status_code == 400, payload
    assert Complaint.objects.count() == before


def test_api_duplicate_number_is_a_conflict(client, world, keyword_classifier):
    client.force_login(world.oscar)
    payload = {"content": "楼道飞线充电", "address": "兰溪路88弄", "external_no": "H-77"}
    assert client.post("/api/v1/intake/hotline/", payload, content_type="application/json").status_code == 201
    again = client.post("/api/v1/intake/hotline/", payload, content_type="application/json")
    assert again.status_code == 409 and again.json()["detail_en"]


def test_property_report_only_for_own_communities(client, world, keyword_classifier):
    client.force_login(world.paul)
    own = client.post("/api/v1/intake/property-report/",
                      {"content": "业主在天井搭建阳光房，已劝阻无效", "community": world.caoyang_a.pk},
                      content_type="application/json")
    assert own.status_code == 201
    complaint = Complaint.objects.get(pk=own.json()["id"])
    assert complaint.reporting_company == world.company_a and complaint.community == world.caoyang_a
    other = client.post("/api/v1/intake/property-report/",
                        {"content": "业主搭建阳光房", "community": world.changfeng_b.pk},
                        content_type="application/json")
    assert other.status_code == 400
    # the company sees its own report, and only that
    assert client.get("/api/v1/complaints/").json()["count"] == 1


def test_property_report_form_and_patrol_form_with_photo(client, world, keyword_classifier):
    client.force_login(world.paul)
    response = client.post(reverse("intake:property-report"), {
        "community": world.changfeng_a.pk, "content": "业主搭建阳光房", "address": "5号楼",
        "discovered_at": "2026-11-20 10:00", "dissuaded": "on",
        "photos": SimpleUploadedFile("site.png", PNG, content_type="image/png")})
    assert response.status_code == 302
    report = Complaint.objects.get(channel=Channel.PROPERTY_REPORT)
    assert report.photos.count() == 1 and len(report.photos.first().sha256) == 64
    client.force_login(world.oscar)
    bad = client.post(reverse("intake:patrol"), {
        "channel": "PATROL", "content": "楼道飞线充电", "address": "兰溪路88弄", "received_at": "2026-11-20 10:00",
        "photos": SimpleUploadedFile("virus.png", b"MZ\x90\x00 not an image", content_type="image/png")})
    assert bad.status_code == 200 and "不是图片" in bad.content.decode()
    assert not Complaint.objects.filter(channel=Channel.PATROL).exists()
    good = client.post(reverse("intake:patrol"), {
        "channel": "PATROL", "content": "楼道飞线充电", "address": "兰溪路88弄", "received_at": "2026-11-20 10:00"})
    assert good.status_code == 302
    assert Complaint.objects.get(channel=Channel.PATROL).reporter == world.oscar


def test_import_page_refuses_other_roles_and_bad_files(client, world, keyword_classifier):
    client.force_login(world.hana)
    assert client.get(reverse("intake:import")).status_code == 403
    client.force_login(world.oscar)
    response = client.post(reverse("intake:import"),
                           {"file": SimpleUploadedFile("orders.pdf", b"%PDF-1.4", content_type="application/pdf")})
    assert "CSV 或 XLSX" in response.content.decode()
    csv_text = "工单编号,受理时间,诉求地址,诉求内容\nW1,2026-11-01 09:00,兰溪路88弄,楼道飞线充电\n"
    response = client.post(reverse("intake:import"), {
        "file": SimpleUploadedFile("orders.csv", csv_text.encode("utf-8-sig"), content_type="text/csv")})
    assert response.status_code == 200 and Complaint.objects.filter(external_no="W1").exists()
    assert Complaint.objects.get(external_no="W1").status == ComplaintStatus.ROUTED
