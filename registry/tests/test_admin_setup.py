"""A new installation without the demo: the administrator creates and edits the district, its streets
and committees in /admin/."""
import pytest

from registry.models import Committee, District, Street
from tests.personas import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("ada", "ADMIN", is_staff=True, is_superuser=True))
    return client


def _inline(prefix, total=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def test_admin_creates_and_edits_district_streets_and_committees(admin_client):
    for page in ("district", "street", "committee"):
        assert admin_client.get(f"/admin/registry/{page}/add/").status_code == 200, page

    response = admin_client.post("/admin/registry/district/add/", {"name": "普陀区", "code": "310107"})
    assert response.status_code == 302, response.content.decode()[:2000]
    district = District.objects.get()

    response = admin_client.post("/admin/registry/street/add/", {
        "district": district.pk, "name": "长征镇", "short_name": "长征", "kind": "TOWN", "code": "310107102",
        **_inline("populations", 1), "populations-0-year": "2025", "populations-0-population": "220000",
        "populations-0-source": "统计年鉴",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    street = Street.objects.get()
    assert street.population_in(2026) == 220000

    response = admin_client.post("/admin/registry/committee/add/", {"street": street.pk, "name": "梅川居委会",
                                                                   "phone": "021-62500000"})
    assert response.status_code == 302
    assert Committee.objects.get().street == street

    response = admin_client.post(f"/admin/registry/street/{street.pk}/change/", {
        "district": district.pk, "name": "长征镇", "short_name": "长征镇", "kind": "TOWN", "code": "310107102",
        **_inline("populations"),
    })
    assert response.status_code == 302
    street.refresh_from_db()
    assert street.short_name == "长征镇" and street.history.count() == 2
    assert admin_client.get("/admin/registry/street/?q=长征").status_code == 200
    assert admin_client.get(f"/admin/registry/street/{street.pk}/history/").status_code == 200


def test_admin_keeps_the_import_rules_for_codes_and_short_names(admin_client):
    district = District.objects.create(name="普陀区", code="310107")
    Street.objects.create(district=district, name="曹杨新村街道", short_name="曹杨", code="310107005")

    def add(**fields):
        data = {"district": district.pk, "name": "甘泉路街道", "short_name": "甘泉", "kind": "SUBDISTRICT",
                "code": "310107017", **_inline("populations"), **fields}
        return admin_client.post("/admin/registry/street/add/", data)

    for fields, words in [({"code": "17"}, "9位"), ({"code": "310106017"}, "不属于普陀区"),
                          ({"code": "310107005"}, "曹杨新村街道"), ({"short_name": "曹杨"}, "曹杨新村街道")]:
        response = add(**fields)
        assert response.status_code == 200 and words in response.content.decode(), fields
    assert add().status_code == 302
    assert Street.objects.count() == 2
