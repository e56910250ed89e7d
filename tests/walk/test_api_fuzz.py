"""The API fuzzed against its own OpenAPI schema (schemathesis), on the full demo district, as three roles.

Every operation of /api/v1/ gets the schema's boundary cases (schemathesis' coverage phase: missing and extra
fields, ids that are not numbers or too large, dates at 0001 and 9999 …) and a few generated ones, as the lead,
an officer and a property company. Asserted: no server error, every response matches the schema, every status
code is documented, and a request the schema calls valid is accepted unless the refusal says why in Chinese and
English (a business rule the schema cannot express: "reopening a cleared item needs a reason").

Writes (POST, PATCH) are made for real, each inside a savepoint that is rolled back right after the call, within
the test's own transaction (rolled back too): every case sees the district as `seed_demo` made it, and the crawl
in the same package finds it unchanged whatever the order of the files. (Fuzzing only the safe methods would
miss most server errors, which were in the writes; ordering this file last would leave the writes' mess to
whatever runs after it.)

Bounded and reproducible: hypothesis derandomized with no example database; the boundary cases as the lead
(~4,000), a few generated cases per operation for every role (MAX_EXAMPLES); about a minute of CPU.
"""
import json
import logging
import re
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
import schemathesis

ROLES = ("lead", "officer", "property")
COVERAGE_ROLES = ("lead",)  # the schema's boundary cases (~70 an operation) as the lead, who may do most things
SCHEMA_URL = "/api/v1/schema/?format=json"
MAX_EXAMPLES = 5  # generated cases per operation and role, on top of the schema's boundary cases
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


class _Rollback(Exception):
    pass


@dataclass
class Report:
    roles: int = 0
    operations: int = 0
    cases: int = 0
    statuses: Counter = field(default_factory=Counter)
    failures: dict = field(default_factory=dict)  # (code, operation, title) -> (role, message, curl)
    seconds: float = 0.0

    def kinds(self) -> Counter:
        return Counter(code for code, _, _ in self.failures)

    def summary(self) -> str:
        lines = [f"API fuzz: {self.operations} operations × {self.roles} roles, {self.cases} cases in "
                 f"{self.seconds:.0f} s; statuses {dict(sorted(self.statuses.items()))}; "
                 f"failures {dict(self.kinds()) or 0}"]
        for (code, operation, title), (role, message, curl) in sorted(self.failures.items()):
            lines.append(f"  {code} {operation} [{role}] {title}: {message[:400]}\n      {curl[:1500]}")
        return "\n".join(lines)


def bilingual(body) -> bool:
    """A refusal that says why in Chinese and English: {"detail", "detail_en"} or every message "中文 / English"."""
    if isinstance(body, dict) and body.get("detail_en"):
        return True
    messages = []

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        else:
            messages.append(str(value))

    walk(body)
    return bool(messages) and all(" / " in m and CJK.search(m.split(" / ")[0]) and LATIN.search(m.split(" / ")[-1])
                                  for m in messages)


def session_auth(username: str) -> tuple[dict, dict]:
    """A signed-in session (cookie and CSRF token) instead of HTTP Basic: the same user, without hashing the
    password on every call."""
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    token = _get_new_csrf_string()
    cookies = {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
               settings.CSRF_COOKIE_NAME: token}
    return {"X-CSRFToken": token}, cookies


def load_schema(headers: dict, cookies: dict):
    from django.core.wsgi import get_wsgi_application
    from django.test import Client
    from schemathesis.config import SchemathesisConfig

    client = Client(headers=headers)
    client.cookies.load(cookies)
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200, response.content[:300]
    config = SchemathesisConfig.from_dict({
        "generation": {"with-security-parameters": False, "database": "none"},
        # Other methods than the documented ones are 405 by DRF itself: not worth ~8 % of the cases.
        "phases": {"coverage": {"unexpected-methods": []}},
    })
    schema = schemathesis.openapi.from_dict(json.loads(response.content), config=config)
    schema.app = get_wsgi_application()
    return schema


def _checks():
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        positive_data_acceptance,
        response_schema_conformance,
        status_code_conformance,
    )

    # Not negative_data_rejection: a filter left empty or a boolean filter given "null" is ignored on purpose
    # (as on the pages), which that check calls accepting invalid data.
    return [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
            positive_data_acceptance]


def fuzz(roles=ROLES, max_examples=MAX_EXAMPLES, coverage_roles=COVERAGE_ROLES, only=None) -> Report:
    """Run every operation as each role; `only` (a substring of "METHOD /path") narrows it while debugging.
    Django's warning per 4xx answer (thousands of them) is silenced meanwhile; a 500's traceback still shows."""
    logging.disable(logging.WARNING)
    try:
        return _fuzz(roles, max_examples, coverage_roles, only)
    finally:
        logging.disable(logging.NOTSET)


def _fuzz(roles, max_examples, coverage_roles, only) -> Report:
    import hypothesis
    from schemathesis.generation.hypothesis.builder import HypothesisTestConfig, HypothesisTestMode, create_test

    report = Report(roles=len(roles))
    started = time.monotonic()
    checks = _checks()
    settings = hypothesis.settings(max_examples=max_examples, deadline=None, derandomize=True, database=None,
                                   suppress_health_check=list(hypothesis.HealthCheck), print_blob=False,
                                   phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate])
    for role in roles:
        headers, cookies = session_auth(role)
        schema = load_schema(headers, cookies)
        operations = [result.ok() for result in schema.get_all_operations()]
        report.operations = len(operations)
        for operation in operations:
            if only and only not in operation.label:
                continue

            probe = _probe(report, operation, role, headers, cookies, checks, settings)
            modes = [HypothesisTestMode.EXAMPLES, HypothesisTestMode.FUZZING]
            if role in coverage_roles:
                modes.append(HypothesisTestMode.COVERAGE)
            config = HypothesisTestConfig(project=schema.config, settings=settings, modes=modes)
            create_test(operation=operation, test_func=probe, config=config)()
    report.seconds = time.monotonic() - started
    return report


def _probe(report, operation, role, headers, cookies, checks, settings):
    """One call: made inside a savepoint that is rolled back, then checked."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, transaction
    from schemathesis.core.failures import Failure, FailureGroup

    @settings
    def probe(case):
        report.cases += 1
        # The WSGI handler closes the connection after each request; inside the test's transaction it must not.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            with transaction.atomic():
                response = case.call(headers=headers, cookies=cookies)
                raise _Rollback
        except _Rollback:
            pass
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        report.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except (FailureGroup, Failure) as exc:
            failures = exc.exceptions if isinstance(exc, FailureGroup) else [exc]
            for failure in failures:
                if failure.code == "ST202" and response.status_code == 400 and bilingual(_json(response)):
                    continue  # a business rule refused it, and said why
                key = (failure.code, operation.label, failure.title)
                report.failures.setdefault(key, (role, f"{response.status_code} {failure.message} "
                                             f"{response.content[:300].decode(errors='replace')}", case.as_curl_command()))

    return probe


def _json(response):
    try:
        return json.loads(response.content)
    except ValueError:
        return None


@pytest.mark.django_db
def test_api_fuzz(demo_district):
    report = fuzz()
    print(report.summary())
    assert report.operations >= 60 and report.cases > report.operations * len(ROLES)
    assert not report.failures, report.summary()
