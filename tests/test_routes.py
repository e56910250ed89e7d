"""Every route × every persona, from ONE table (Zulip's habit).

The routes are not listed by hand: the test walks the project's URL resolver (pages and the REST API under
/api/v1/; Django's admin aside, and DRF's `.json` format-suffix twins, which answer as their route does), so a
route added anywhere without a row in ROUTES below fails `test_every_route_has_a_row`, naming the route.

For each route the row gives the expected answer per persona of tests/personas.py (plus `anon`, signed out):
- GET routes (pages, API list/detail/read actions) answer exactly the code in the row;
- POST-only routes are sent an empty body: personas the row refuses must get that refusal (403/404, or the
  login redirect), and the others ("ok") must not be refused — 200/201/302/400/409 are all fine for them,
  never 403, 404, 405 or 500.

URL arguments come from objects of one world (`objects` below). The menu test at the end checks that the
menu (accounts.navigation) offers exactly the pages whose GET answers 200.
"""
import re
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.navigation import MENU, menu_for

pytestmark = pytest.mark.django_db

OK = "ok"  # POST: anything but a refusal (403/404/405) or an error (500)
PERSONAS = ("anon", "alice", "ada", "oscar", "owen", "sam", "hana", "gina", "pete", "paul", "carl")
GROUPS = {
    "*": PERSONAS[1:],  # everyone signed in
    "bureau": ("alice", "ada"),
    "officers": ("oscar", "owen"),
    "handlers": ("alice", "ada", "oscar", "owen"),
    "staff": ("alice", "ada", "oscar", "owen", "sam"),
    "departments": ("hana", "gina", "pete"),
    "others": ("gina", "pete"),  # departments other than the housing bureau
    "companies": ("paul", "carl"),
}


# --- routes ------------------------------------------------------------------------------------------

def _walk(patterns, prefix="", namespace=None):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin" or p.app_name == "admin":
                continue
            ns = ":".join(x for x in (namespace, p.namespace) if x) or None
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            if "format" in p.pattern.regex.groupindex:
                continue  # DRF's format-suffix twin of a route below
            name = ":".join(x for x in (namespace, p.name) if x) if p.name else None
            yield name or prefix + str(p.pattern), prefix + str(p.pattern), p


def project_routes() -> dict[str, tuple[str, URLPattern]]:
    """Route name (namespaced; the pattern when unnamed) → (pattern, URLPattern), admin aside."""
    routes = {}
    for name, pattern, p in _walk(get_resolver().url_patterns):
        if pattern.startswith("media/") or pattern.startswith("^media/"):
            continue  # uploaded files when DEBUG serves them: never in tests
        routes.setdefault(name, (pattern, p))
    return routes


# --- the table -----------------------------------------------------------------------------------------

@dataclass
class Row:
    obj: str = ""                  # the world object whose pk fills <pk> (other arguments: ARGS)
    get: dict | None = None        # {code: "personas or groups"}
    post: dict | None = None
    args: dict = field(default_factory=dict)  # further URL arguments for this route
    api: bool = False


def page(obj="", *, get=None, post=None, **args):
    return Row(obj, get, post, args)


def api(obj="", *, get=None, post=None, **args):
    return Row(obj, get, post, args, api=True)


ROUTES: dict[str, Row] = {}


def expected(row: Row, method: str) -> dict[str, object]:
    spec = row.get if method == "get" else row.post
    out = {}
    for code, who in spec.items():
        for token in who.split():
            for persona in GROUPS.get(token, (token,)):
                assert persona in PERSONAS, f"unknown persona {persona!r} in the table"
                out.setdefault(persona, code)
    out.setdefault("anon", 403 if row.api else 302)
    missing = set(PERSONAS) - set(out)
    assert not missing, f"the row names no answer for {sorted(missing)}"
    return out


# --- the world's objects --------------------------------------------------------------------------------

@pytest.fixture
def objects(world, settings, tmp_path):
    """One of each record a route names, in 曹杨 (oscar's street) and of company A (paul's)."""
    from accounts.models import Notification
    from cases import services as case_services
    from cases.models import Document, Evidence, Fine
    from cases.referrals import referral_send
    from cases.tests.test_paths import complaint_for
    from credit import services as credit_services
    from credit.models import CreditRecord, CreditRule, PunishmentListing
    from credit.tests.helpers import check_of, filed_owner_case, fine_final, past_deadline, pdf
    from intake.choices import Channel
    from intake.models import Complaint
    from programme import services as programme_services
    from registry.models import Department

    settings.MEDIA_ROOT = tmp_path / "media"
    owner = filed_owner_case(world)                       # oscar's case on company A's community: a duty check
    check = check_of(owner)
    attachment = credit_services.duty_check_attach(check=check, actor=world.paul, upload=pdf())
    check = past_deadline(check)
    check = credit_services.duty_check_decide(check=check, actor=world.oscar, outcome="FAILED",
                                              reasons="物业未劝阻、未报告", failure_rule="NOT_STOPPED")
    fine = fine_final(world, check.negligence_case)          # the negligence case, decided and fined
    case = check.negligence_case
    record = CreditRecord.objects.get(case=case, subject="COMPANY")
    dispute = credit_services.credit_dispute_lodge(record=record, actor=world.paul, reason="已劝阻")
    today = timezone.localdate()
    listing = PunishmentListing.objects.create(company=world.company_a, listed_on=today, points=30,
                                               window_start=today - timedelta(days=365), reason="记分达到阈值")
    order = case_services.supervision_issue(case=case, actor=world.alice, instruction="三日内回复")
    complaint = complaint_for("EBIKE_PARKING", world.caoyang_a, external_no="GD0001")
    Complaint.objects.filter(pk=complaint.pk).update(channel=Channel.HOTLINE)  # a 12345 order: 退单 applies
    complaint.refresh_from_db()
    referral = referral_send(department=Department.objects.get(code="HOUSING"), matter="物业管理事项",
                             actor=world.alice, case=owner)
    structure = programme_services.structure_create(actor=world.oscar, community=world.caoyang_a,
                                                    location="5号楼 屋顶", found_on=today, area_m2="12")
    return {
        "case": case, "complaint": complaint, "case_complaint": owner.complaints.first(), "order": order,
        "fine": Fine.objects.get(pk=fine.pk), "evidence": Evidence.objects.filter(case=case).first(),
        "document": Document.objects.filter(case=case).first(), "referral": referral, "check": check,
        "attachment": attachment, "record": record, "dispute": dispute, "listing": listing,
        "notification": Notification.objects.create(user=world.alice, kind="test", title="通知"),
        "structure": structure, "community": world.caoyang_a, "company": world.company_a, "street": world.caoyang,
        "department": Department.objects.get(code="HOUSING"), "rule": CreditRule.objects.order_by("pk").first(),
    }


# arguments other than <pk>, by name: filled from the world unless the row gives them
ARGS = {"complaint_pk": "case_complaint", "order_id": "order", "fine_id": "fine"}
FIXED = {"action": "start_verification", "kind": "ORDER_CORRECT", "move": "return", "channel_slug": "hotline",
         "code": "ILLEGAL_CONSTRUCTION"}


def url_of(name: str, pattern: URLPattern, row: Row, objects) -> str:
    wanted = list(pattern.pattern.regex.groupindex)
    kwargs = {}
    for arg in wanted:
        if arg in row.args:
            value = row.args[arg]
            kwargs[arg] = objects[value].pk if value in objects else value
        elif arg == "pk":
            kwargs[arg] = objects[row.obj].pk
        elif arg in ARGS:
            kwargs[arg] = objects[ARGS[arg]].pk
        else:
            kwargs[arg] = FIXED[arg]
    return reverse(name, kwargs=kwargs)


def answer(client, user, method: str, url: str) -> int:
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(url) if method == "get" else client.post(url, {})
    return response.status_code


def agrees(code: int, want) -> bool:
    if want == OK:
        return code not in {403, 404, 405, 500}
    return code == want


# --- the tests ------------------------------------------------------------------------------------------

ALL_ROUTES = project_routes()


def test_every_route_has_a_row():
    missing = sorted(set(ALL_ROUTES) - set(ROUTES))
    assert not missing, ("routes without a row in tests/test_routes.py ROUTES (add the expected answer of each "
                         "persona): " + ", ".join(f"{name} ({ALL_ROUTES[name][0]})" for name in missing))


def test_no_row_names_a_route_that_is_gone():
    gone = sorted(set(ROUTES) - set(ALL_ROUTES))
    assert not gone, f"rows of ROUTES name no route of the project: {', '.join(gone)}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_route_answers_each_persona_as_the_table_says(client, world, objects, persona):
    user = None if persona == "anon" else getattr(world, persona)
    wrong = []
    for method in ("get", "post"):          # reads first: a write that succeeds changes the world after them
        for name, (_pattern, urlpattern) in sorted(ALL_ROUTES.items()):
            row = ROUTES.get(name)
            if row is None or getattr(row, method) is None:
                continue
            want = expected(row, method)[persona]
            url = url_of(name, urlpattern, row, objects)
            code = answer(client, user, method, url)
            if not agrees(code, want):
                wrong.append(f"{method.upper()} {url} ({name}): {code}, expected {want}")
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)
