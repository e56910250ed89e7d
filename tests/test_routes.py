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
PERSONAS = ("anon", "alice", "ada", "oscar", "owen", "sam", "hana", "gina", "pete", "paul", "carl", "cyrus", "otis",
            "lena")
GROUPS = {
    "*": PERSONAS[1:],  # everyone signed in
    "bureau": ("alice", "ada"),
    "officers": ("oscar", "owen", "otis"),
    "handlers": ("alice", "ada", "oscar", "owen", "otis"),
    "staff": ("alice", "ada", "oscar", "owen", "sam", "otis"),
    "departments": ("hana", "gina", "pete"),
    "others": ("gina", "pete"),  # departments other than the housing bureau
    "companies": ("paul", "carl"),
    "city": ("cyrus",),  # the city bureau (市局): reads every district, changes nothing
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


# One row per route of the project. Groups: * (everyone signed in), staff (bureau + officers + sam), handlers
# (bureau + officers), bureau (alice, ada), officers (oscar of 曹杨, owen of 长风), departments (hana of HOUSING,
# gina, pete), others (gina, pete), companies (paul of company A, carl of company B), city (cyrus, the city
# bureau: reads every district, changes nothing, opens the city page). The world's records are in
# 曹杨 and of company A. `anon` is the login redirect (pages) or 403 (API) unless the row says otherwise.
# Comments name the refusals this table found missing (fixed through accounts.policy.may). Issue 13: otis is a second
# officer of 曹杨 (oscar's colleague: every 曹杨 page, but oscar's 督办 is oscar's to answer); lena the legal reviewer
# (法制审核) reads the district's cases and their files and makes the review moves only: assign, claim, 正在搭建,
# parties, evidence, documents and fines 403 (the pages refused her with 400 from the services before).
ROUTES: dict[str, Row] = {
    "api-docs": api(get={200: "*", 302: "anon"}),  # the login page for a visitor (issue 10)
    "api-root": api(get={200: "*"}),
    "api-not-found": api(get={404: "* anon"}, path="nowhere/"),  # any other /api/v1/ path: JSON 404
    "api-schema": api(get={200: "*"}),  # signed-in users only (issue 10)
    # /api/v1/metrics/ (issue 11): without start and end a 400; a property company 403 (analytics.metrics)
    "metrics-per-10k": api(get={400: "staff departments city lena", 403: "companies"}),
    "metrics-effectiveness": api(get={400: "staff departments city lena", 403: "companies"}),
    "metrics-trend": api(get={400: "staff departments city lena", 403: "companies"}),
    "assessment-ranking": api(get={200: "bureau sam departments", 403: "officers companies city lena"}, year=2025),
    "assessment-street": api("street", get={200: "bureau", 404: "sam departments", 403: "officers companies city lena"}),
    "assessment-department": api("department", get={200: "bureau hana", 404: "others sam", 403: "officers companies city lena"}),
    # dashboards (issue 11): a street or community outside the user's streets 404, property companies 403
    # the city page (issue 12): the city bureau and a superuser only; a district's own roles 403
    "analytics:city": page(get={200: "ada city", 403: "alice officers sam departments companies lena"}),
    "analytics:community": page("community", get={200: "lena bureau oscar otis departments city", 404: "owen sam", 403: "companies"}),
    "analytics:overview": page(get={200: "staff departments city lena", 403: "companies"}),
    "analytics:street": page("street", get={200: "lena bureau oscar otis departments city", 404: "owen sam", 403: "companies"}),
    "analytics:wall": page(get={200: "bureau", 403: "officers sam departments companies city lena"}),
    "analytics:wall-data": page(get={200: "bureau", 403: "officers sam departments companies city lena"}),
    "assessment:configure": page(get={200: "ada", 403: "alice officers sam departments companies city lena"},
                                 post={OK: "ada", 403: "alice officers sam departments companies city lena"}),
    "assessment:department": page("department", get={200: "bureau hana", 404: "others sam", 403: "officers companies city lena"}),
    "assessment:overview": page(get={200: "bureau sam departments", 403: "officers companies city lena"}),
    "assessment:street": page("street", get={200: "bureau", 404: "sam departments", 403: "officers companies city lena"}),
    "bulletins:docx": page("bulletin", get={200: "bureau oscar otis city", 404: "owen sam", 403: "departments companies lena"}),
    "bulletins:list": page(get={200: "staff city", 403: "departments companies lena"}),
    "bulletins:make": page(post={OK: "staff city", 403: "departments companies lena"}),
    "bulletins:row": page("bulletin", get={200: "bureau oscar otis city", 404: "owen sam", 403: "departments companies lena"}),
    "bulletins:xlsx": page("bulletin", get={200: "bureau oscar otis city", 404: "owen sam", 403: "departments companies lena"}),
    "cases:assign": page("case", post={OK: "bureau oscar otis", 404: "departments companies owen sam city", 403: "lena"}),
    "cases:board": page(get={200: "bureau", 403: "departments companies officers sam city lena"}),
    "cases:claim": page("case", post={OK: "bureau oscar otis", 404: "departments companies owen sam city", 403: "lena"}),
    # 协办队员 (issue 13): a supervisor or the case's officer; a legal reviewer reads the case and names nobody
    "cases:co-officer": page("case", post={OK: "bureau oscar otis", 403: "lena", 404: "departments companies owen sam city"}),
    "cases:detail": page("case", get={200: "bureau oscar otis city lena", 404: "departments companies owen sam"}),
    "cases:document-file": page("document", get={200: "bureau oscar otis city lena", 404: "departments companies owen sam"}),
    "cases:document-issue": page("case", post={OK: "bureau oscar otis", 404: "owen", 403: "departments companies sam city lena"}),
    "cases:evidence-add": page("case", post={OK: "bureau oscar otis", 404: "departments companies owen sam city", 403: "lena"}),
    "cases:evidence-file": page("evidence", get={200: "bureau oscar otis city lena", 404: "departments companies owen sam"}),
    "cases:fine-final": page("fine", post={OK: "bureau oscar otis", 404: "owen", 403: "departments companies sam city lena"}),
    "cases:fine-impose": page("case", post={OK: "bureau oscar otis", 404: "owen", 403: "departments companies sam city lena"}),
    "cases:fine-payment": page("fine", post={OK: "bureau oscar otis", 404: "owen", 403: "departments companies sam city lena"}),
    "cases:hotline-replies-export": page(get={200: "staff", 403: "departments companies city lena"}),
    "cases:hotline-reply": page(post={OK: "bureau oscar otis", 404: "departments companies owen sam city lena"}),
    "cases:in-progress": page("case", post={OK: "bureau oscar otis", 404: "departments companies owen sam city", 403: "lena"}),
    # 回头看 (issue 15): the bureau, officers and streets follow their re-checks; handlers record them
    "cases:rechecks": page(get={200: "staff", 403: "departments companies city lena"}),
    "cases:recheck": page("recheck", get={200: "bureau oscar otis", 404: "owen sam", 403: "departments companies city lena"},
                          post={OK: "bureau oscar otis", 404: "owen sam", 403: "departments companies city lena"}),
    "cases:inbox": page(get={403: "staff companies city lena", 200: "departments"}),
    "cases:list": page(get={200: "staff departments city lena", 403: "companies"}),
    "cases:move": page("case", post={OK: "bureau oscar otis lena", 404: "departments companies owen sam city"}),
    "cases:open-from-complaint": page(post={OK: "bureau oscar otis", 404: "owen sam", 403: "departments companies city lena"}, complaint_pk="complaint"),
    "cases:party-add": page("case", post={OK: "bureau oscar otis", 404: "departments companies owen sam city", 403: "lena"}),
    "cases:referral-action": page("referral", post={403: "staff companies city lena", OK: "hana", 404: "others"}, action="sign"),
    "cases:supervise": page("case", post={OK: "bureau", 403: "departments companies officers sam city lena"}),
    "cases:supervision-respond": page("order", post={403: "bureau otis lena", OK: "oscar", 404: "departments companies owen sam city"}),
    "cases:workbench": page(get={302: "departments companies bureau sam city lena", 200: "officers"}),
    "community-detail": api("community", get={200: "lena departments bureau oscar otis paul city", 404: "owen sam carl"}),
    # a background export (issue 12): only the user who asked (alice) sees it; anyone else 404
    "exports:job": page("export_job", get={200: "alice", 404: "ada officers sam departments companies city lena"}),
    "exports:progress": page("export_job", get={200: "alice", 404: "ada officers sam departments companies city lena"}),
    "exports:download": page("export_job", get={200: "alice", 404: "ada officers sam departments companies city lena"}),
    "community-list": api(get={200: "*"}),
    "complaint-confirm": api("complaint", post={OK: "bureau oscar otis", 404: "owen sam", 403: "departments companies city lena"}),
    "complaint-correct-community": api("complaint", post={OK: "bureau oscar otis", 404: "owen sam", 403: "departments companies city lena"}),
    "complaint-correct-type": api("complaint", post={OK: "bureau oscar otis", 404: "owen sam", 403: "departments companies city lena"}),
    "complaint-detail": api("complaint", get={200: "bureau oscar otis city", 404: "departments companies owen sam lena"}),
    "complaint-list": api(get={200: "*"}),
    "complaint-mark-duplicate": api("complaint", post={OK: "bureau oscar otis", 404: "owen sam", 403: "departments companies city lena"}),
    "complaint-reroute-department": api("complaint", post={OK: "bureau oscar otis", 404: "departments companies owen sam lena", 403: "city"}),
    "complaint-reroute-street": api("complaint", post={OK: "bureau oscar otis", 404: "departments companies owen sam lena", 403: "city"}),
    "complaint-return-order": api("complaint", post={OK: "bureau oscar otis", 404: "departments companies owen sam lena", 403: "city"}),
    "complaint-settle": api("complaint", post={OK: "bureau oscar otis", 404: "departments companies owen sam lena", 403: "city"}),
    "complaint-unmark-duplicate": api("complaint", post={OK: "bureau oscar otis", 404: "owen sam", 403: "departments companies city lena"}),
    "credit-ranking-list": api(get={200: "handlers companies hana city", 403: "others sam lena"}),  # sam, gina, pete: 403 (sam read every company's points)
    "credit:company": page("company", get={200: "handlers hana city", 403: "others sam lena", 302: "paul", 404: "carl"}),  # sam: 403, as the ranking
    "credit:dispute-decide": page("dispute", post={OK: "bureau hana", 403: "companies officers others sam city lena"}),
    "credit:dispute-lodge": page("record", post={403: "staff departments city lena", OK: "paul", 404: "carl"}),
    "credit:disputes": page(get={200: "handlers hana city", 403: "others sam lena", 302: "companies"}),  # sam: 403, as the ranking
    "credit:duty-check": page("check", get={200: "bureau oscar otis hana paul city", 404: "others owen sam carl lena"}),
    "credit:duty-check-answer": page("check", post={403: "staff departments city lena", OK: "paul", 404: "carl"}),
    "credit:duty-check-attach": page("check", post={OK: "bureau oscar otis paul", 404: "others owen sam carl lena", 403: "hana city"}),
    "credit:duty-check-decide": page("check", post={OK: "bureau oscar otis", 404: "others owen sam carl lena", 403: "hana paul city"}),
    "credit:duty-check-file": page("attachment", get={200: "bureau oscar otis hana paul city", 404: "others owen sam carl lena"}),
    "credit:duty-checks": page(get={200: "staff hana city", 403: "others lena", 302: "companies"}),  # gina, pete: 403 (an empty list before; the menu hid it)
    "credit:listing-remove": page("listing", post={OK: "bureau hana", 403: "companies officers others sam city lena"}),
    "credit:listings": page(get={200: "handlers hana city", 403: "others sam lena", 302: "companies"}),  # sam: 403, as the ranking
    "credit:mine": page(get={302: "handlers hana city", 403: "others sam lena", 200: "companies"}),
    # the inbox (issue 15): everyone has their own; another user's item is 404 (it is oscar's)
    "accounts:inbox": page(get={200: "*"}),
    "accounts:inbox-open": page("inbox_item", get={302: "oscar", 404: "*"}),
    "accounts:inbox-read-all": page(post={OK: "*"}),
    "accounts:sms": page(get={200: "*"}, post={OK: "*"}),
    "inbox-list": api(get={200: "*"}),
    "inbox-detail": api("inbox_item", get={200: "oscar", 404: "*"}),
    "inbox-read": api("inbox_item", post={OK: "oscar", 404: "*"}),
    "inbox-read-all": api(post={OK: "*"}),
    "credit:notification-dismiss": page("notification", post={OK: "alice", 404: "departments companies officers ada sam city lena"}),
    "credit:ranking": page(get={200: "handlers hana city", 403: "others sam lena", 302: "companies"}),  # sam: 403 (street staff passed sees_all_credit, the menu hid it)
    "creditdispute-decide": api("dispute", post={OK: "bureau hana", 403: "officers others sam paul city lena", 404: "carl"}),
    "creditdispute-detail": api("dispute", get={200: "handlers hana paul city", 403: "others sam lena", 404: "carl"}),
    "creditdispute-list": api(get={200: "handlers companies hana city", 403: "others sam lena"}),  # sam, gina, pete: 403, as the pages
    "creditrecord-detail": api("record", get={200: "handlers hana paul city", 403: "others sam lena", 404: "carl"}),
    "creditrecord-dispute": api("record", post={403: "staff departments city lena", OK: "paul", 404: "carl"}),
    "creditrecord-list": api(get={200: "handlers companies hana city", 403: "others sam lena"}),  # sam, gina, pete: 403, as the pages
    "creditrule-detail": api("rule", get={200: "*"}),
    "creditrule-list": api(get={200: "*"}),
    "department-detail": api("department", get={200: "*"}),
    "department-list": api(get={200: "*"}),
    "dutycheck-answer": api("check", post={403: "departments bureau oscar otis city lena", 404: "owen sam carl", OK: "paul"}),
    "dutycheck-attach": api("check", post={OK: "bureau oscar otis paul", 404: "owen sam carl", 403: "departments city lena"}),
    "dutycheck-decide": api("check", post={OK: "bureau oscar otis", 404: "owen sam carl", 403: "departments paul city lena"}),
    "dutycheck-detail": api("check", get={200: "bureau oscar otis hana paul city", 404: "owen sam carl", 403: "others lena"}),
    "dutycheck-list": api(get={200: "staff companies hana city", 403: "others lena"}),  # gina, pete: 403, as the page
    "enforcementcase-assign": api("case", post={OK: "bureau oscar otis", 404: "departments companies owen sam", 403: "city lena"}),
    "enforcementcase-claim": api("case", post={OK: "bureau oscar otis", 404: "departments companies owen sam", 403: "city lena"}),
    "enforcementcase-co-officer": api("case", post={OK: "bureau oscar otis", 404: "departments companies owen sam", 403: "city lena"}),
    "enforcementcase-detail": api("case", get={200: "bureau oscar otis city lena", 404: "departments companies owen sam"}),
    "enforcementcase-evidence": api("case", post={OK: "bureau oscar otis", 404: "departments companies owen sam", 403: "city lena"}),
    "enforcementcase-fine-final": api("case", post={OK: "bureau oscar otis", 404: "departments companies owen sam", 403: "city lena"}),
    "enforcementcase-in-progress": api("case", post={OK: "bureau oscar otis", 404: "departments companies owen sam", 403: "city lena"}),
    "enforcementcase-indicator-rows": api(get={200: "*"}),
    "enforcementcase-repeat": api("case", get={200: "bureau oscar otis city lena", 404: "departments companies owen sam"}),
    "recheck-list": api(get={200: "staff", 403: "departments companies city lena"}),
    "recheck-detail": api("recheck", get={200: "bureau oscar otis", 404: "owen sam", 403: "departments companies city lena"}),
    "recheck-record": api("recheck", post={OK: "bureau oscar otis", 404: "owen sam", 403: "departments companies city lena"}),
    "enforcementcase-list": api(get={200: "*"}),  # companies: an empty list (accounts.scope.case_q)
    "enforcementcase-move": api("case", post={OK: "bureau oscar otis lena", 404: "departments companies owen sam", 403: "city"}),
    "enforcementcase-officers": api("case", get={200: "bureau oscar otis", 404: "departments companies owen sam", 403: "city lena"}),
    "enforcementcase-open-from-complaint": api(post={OK: "handlers", 403: "departments companies sam city lena"}),
    "enforcementcase-parties": api("case", post={OK: "bureau oscar otis", 404: "departments companies owen sam", 403: "city lena"}),
    "enforcementcase-supervise": api("case", post={OK: "bureau", 403: "departments companies officers sam city lena"}),
    "enforcementcase-supervision-respond": api("case", post={403: "bureau city otis lena", OK: "oscar", 404: "departments companies owen sam"}),  # bureau: 403 (a lead answered his own order; the page refused)
    "healthz": page(get={200: "* anon"}),
    "home": page(get={200: "*"}),
    "intake-create": api(post={OK: "staff", 403: "departments companies city lena"}),
    "intake:confirm": page("complaint", post={OK: "bureau oscar otis", 404: "owen sam", 403: "departments companies city lena"}),
    "intake:correct-community": page("complaint", post={OK: "bureau oscar otis", 404: "owen sam", 403: "departments companies city lena"}),
    "intake:correct-type": page("complaint", post={OK: "bureau oscar otis", 404: "owen sam", 403: "departments companies city lena"}),
    "intake:detail": page("complaint", get={200: "bureau oscar otis city", 404: "departments companies owen sam lena"}),
    "intake:photo-file": page("photo", get={200: "bureau oscar otis city", 404: "departments companies owen sam lena"}),
    "intake:dispatch": page("complaint", post={OK: "bureau oscar otis", 404: "owen sam", 403: "departments companies city lena"}),
    "intake:import": page(get={200: "staff", 403: "departments companies city lena"}),
    "intake:mark-duplicate": page("complaint", post={OK: "bureau oscar otis", 404: "owen sam", 403: "departments companies city lena"}),
    "intake:new": page(get={200: "staff", 403: "departments companies city lena"}),
    "intake:patrol": page(get={200: "staff", 403: "departments companies city lena"}),
    "intake:property-report": page(get={403: "staff departments city lena", 200: "companies"}),
    "intake:queue": page(get={200: "staff departments city lena", 302: "companies"}),
    "intake:unmark-duplicate": page("complaint", post={OK: "bureau oscar otis", 404: "owen sam", 403: "departments companies city lena"}),
    "campaign-list": api(get={200: "staff departments city lena", 403: "companies"}),
    "campaign-detail": api("campaign", get={200: "staff departments city lena", 403: "companies"}),
    "campaign-problem-list": api(get={200: "staff departments city lena", 403: "companies"}),
    "campaign-problem-detail": api("problem", get={200: "bureau oscar otis city", 404: "owen sam departments lena", 403: "companies"}),
    "campaign-task-list": api(get={200: "staff departments city lena", 403: "companies"}),
    "campaign-task-detail": api("task", get={200: "bureau oscar otis city", 404: "owen sam departments lena", 403: "companies"}),
    "campaign-task-progress": api("task", post={OK: "bureau oscar otis", 404: "owen sam departments lena", 403: "companies city"}),
    "campaign-task-mine": api(get={200: "staff departments", 403: "companies city lena"}),
    "inventory-detail": api("structure", get={200: "departments bureau oscar otis paul city", 404: "owen sam carl lena"}),
    "inventory-link-case": api("structure", post={OK: "bureau oscar otis", 404: "owen sam carl lena", 403: "departments paul city"}),
    "inventory-list": api(get={200: "*"}, post={OK: "staff", 403: "departments companies city lena"}),  # POST departments, companies: 403 (their empty body reached validation: 400)
    "inventory-open-case": api("structure", post={OK: "bureau oscar otis", 404: "owen sam carl lena", 403: "departments paul city"}),
    "inventory-progress": api(get={200: "*"}),
    "inventory-set-status": api("structure", post={OK: "bureau oscar otis", 404: "owen sam carl lena", 403: "departments paul city"}),
    "login": page(get={200: "* anon"}),
    "logout": page(post={OK: "*"}),
    # campaigns (专项行动, issue 16): companies never; a task of 曹杨 is the bureau's, 曹杨's officers' and the city's
    # to read, and the city changes nothing; only the bureau compiles, sets phases and gives tasks
    "programme:campaign-list": page(get={200: "staff departments city lena", 403: "companies"}),
    "programme:campaign-detail": page("campaign", get={200: "staff departments city lena", 403: "companies"}),
    "programme:campaign-compile": page("campaign", post={OK: "bureau", 403: "officers sam departments city lena", 404: "companies"}),
    "programme:problem-create": page("campaign", get={200: "staff", 403: "departments city lena", 404: "companies"}),
    "programme:task-create": page("campaign", get={200: "bureau", 403: "officers sam departments city lena", 404: "companies"}),
    "programme:task-export": page("campaign", get={200: "staff departments city lena", 403: "companies"}),
    "programme:phase-status": page("phase", post={OK: "bureau", 403: "officers sam departments city lena", 404: "companies"}),
    "programme:my-tasks": page(get={200: "staff departments", 403: "companies city lena"}),
    "programme:task-detail": page("task", get={200: "bureau oscar otis city", 404: "owen sam departments companies lena"},
                                  post={OK: "bureau oscar otis", 403: "city", 404: "owen sam departments companies lena"}),
    "programme:inventory": page(get={200: "*"}),
    "programme:progress": page(get={200: "*"}),
    "programme:structure-create": page(get={200: "staff", 403: "departments companies city lena"}),
    "programme:structure-detail": page("structure", get={200: "departments bureau oscar otis paul city", 404: "owen sam carl lena"}),
    "programme:structure-edit": page("structure", get={200: "bureau oscar otis", 404: "owen sam carl lena", 403: "departments paul city"}),
    "programme:structure-import": page(get={200: "staff", 403: "departments companies city lena"}),
    "programme:structure-link-case": page("structure", post={OK: "bureau oscar otis", 404: "owen sam carl lena", 403: "departments paul city"}),
    "programme:structure-open-case": page("structure", post={OK: "bureau oscar otis", 404: "owen sam carl lena", 403: "departments paul city"}),
    "programme:structure-status": page("structure", post={OK: "bureau oscar otis", 404: "owen sam carl lena", 403: "departments paul city"}),
    "propertycompany-detail": api("company", get={200: "lena staff departments paul city", 404: "carl"}),
    "propertycompany-list": api(get={200: "*"}),
    "punishmentlisting-detail": api("listing", get={200: "handlers hana paul city", 403: "others sam lena", 404: "carl"}),
    "punishmentlisting-list": api(get={200: "handlers companies hana city", 403: "others sam lena"}),  # sam, gina, pete: 403, as the pages
    "punishmentlisting-remove": api("listing", post={OK: "bureau hana", 403: "officers others sam paul city lena", 404: "carl"}),
    "registry:community-detail": page("community", get={200: "lena departments bureau oscar otis paul city", 404: "owen sam carl"}),
    "registry:community-list": page(get={200: "*"}),
    "registry:company-detail": page("company", get={200: "lena staff departments paul city", 404: "carl"}),
    "registry:company-list": page(get={200: "staff departments city lena", 302: "companies"}),
    "registry:company-mine": page(get={403: "staff departments city lena", 200: "companies"}),  # 403 (was 404) for users of no company
    "registry:department-list": page(get={200: "*"}),
    "registry:street-list": page(get={200: "staff departments city lena", 403: "companies"}),  # companies: 403 (the menu hid it)
    "registry:violationtype-list": page(get={200: "*"}),
    "set_language": page(get={302: "*"}),
    "street-detail": api("street", get={200: "lena departments bureau oscar otis paul city", 404: "owen sam carl"}),
    "street-list": api(get={200: "*"}),
    "violationtype-detail": api(get={200: "*"}),
    "violationtype-list": api(get={200: "*"}),
}


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
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import InboxItem, Notification
    from cases import services as case_services
    from cases.models import Document, Evidence, Fine
    from cases.referrals import referral_send
    from cases.tests.test_paths import complaint_for
    from credit import services as credit_services
    from credit.models import CreditRecord, CreditRule, PunishmentListing
    from credit.tests.helpers import check_of, filed_owner_case, past_deadline, pdf
    from intake import services as intake_services
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
    from tests.procedure import fined_through_the_procedure

    fine = fined_through_the_procedure(world, check.negligence_case)   # the negligence case, decided and fined
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
    photo = intake_services.photo_add(complaint=complaint, upload=SimpleUploadedFile(
        "site.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64, content_type="image/jpeg"))
    referral = referral_send(department=Department.objects.get(code="HOUSING"), matter="物业管理事项",
                             actor=world.alice, case=owner)
    bulletin = _bulletin(world)
    structure = programme_services.structure_create(actor=world.oscar, community=world.caoyang_a,
                                                    location="5号楼 屋顶", found_on=today, area_m2="12")
    campaign = programme_services.campaign_create(
        actor=world.alice, name="住宅小区环境专项执法行动", starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=60), phases=[{"name": "执法整治", "starts_on": today - timedelta(days=10),
                                                     "ends_on": today + timedelta(days=60)}])
    task = programme_services.task_create(campaign=campaign, actor=world.alice, title="曹杨排摸",
                                          owner_street=world.caoyang, starts_on=today, working_days=5)
    problem = programme_services.problem_add(campaign=campaign, actor=world.oscar, title="楼道堆物",
                                             street=world.caoyang)

    from cases.models import ReCheck

    recheck = ReCheck.objects.create(case=case, closed_at=timezone.now(), round=7, due=today)
    return {
        "recheck": recheck,
        "case": case, "complaint": complaint, "case_complaint": owner.complaints.first(), "order": order,
        "fine": Fine.objects.get(pk=fine.pk), "evidence": Evidence.objects.filter(case=case).first(),
        "document": Document.objects.filter(case=case).first(), "referral": referral, "check": check,
        "attachment": attachment, "record": record, "dispute": dispute, "listing": listing,
        "notification": Notification.objects.create(user=world.alice, kind="test", title="通知"),
        "inbox_item": InboxItem.objects.create(user=world.oscar, kind="HOTSPOT", title="提醒", key="test:1"),
        "bulletin": bulletin, "export_job": _export_job(world), "structure": structure, "photo": photo,
        "campaign": campaign, "task": task, "problem": problem, "phase": campaign.phases.get(),
        "community": world.caoyang_a, "company": world.company_a, "street": world.caoyang,
        "department": Department.objects.get(code="HOUSING"), "rule": CreditRule.objects.order_by("pk").first(),
    }


def _export_job(world):
    """A finished background export of alice's, its file stored."""
    from django.core.files.base import ContentFile

    from core.models import ExportJob

    job = ExportJob(user=world.alice, kind="complaints", fmt="csv", status="DONE", rows_total=1, rows_done=1,
                    filename="诉件.csv", expires_at=timezone.now() + timedelta(hours=1))
    job.file.save("export.csv", ContentFile("\ufeffID\r\n1\r\n".encode()), save=False)
    job.save()
    return job


def _bulletin(world):
    """A made bulletin of 曹杨 (oscar's street), its two files stored."""
    from django.core.files.base import ContentFile

    from bulletins.models import Bulletin

    bulletin = Bulletin(period="2026-11", kind="month", street=world.caoyang, status="DONE", progress=100,
                        title="曹杨新村街道住宅小区违法违规行为治理工作通报（2026年11月）")
    bulletin.docx.save("bulletin.docx", ContentFile(b"PK\x03\x04docx"), save=False)
    bulletin.xlsx.save("bulletin.xlsx", ContentFile(b"PK\x03\x04xlsx"), save=False)
    bulletin.save()
    return bulletin


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


@pytest.mark.parametrize("persona", PERSONAS[1:])
def test_the_menu_offers_exactly_the_pages_that_open(world, persona):
    """accounts.navigation shows a page when the table says its GET answers 200 for the persona (admin aside:
    it is shown to the administrator role)."""
    user = getattr(world, persona)
    shown = {item["name"] for item in menu_for(user)}
    opening = {name for name, *_ in MENU if name in ROUTES and expected(ROUTES[name], "get")[persona] == 200}
    if "admin:index" in {name for name, *_ in MENU} and world.ada == user:
        opening.add("admin")
    assert shown == opening, f"{persona}: menu only {sorted(shown - opening)}, pages only {sorted(opening - shown)}"
