"""The crawl guard: every demo persona opens what its menu offers on the full demo district, and nothing on
the way is broken, unfinished or truncated.

For each persona (tests/walk/conftest.py DEMO_LOGINS), signed in with force_login and Django's test Client:
- every page of its menu (accounts.navigation.menu_for, the function the menu itself uses) and of the
  sub-navigation those pages show (credit's tabs), the first DETAIL_LINKS detail links in the rows of each
  list page, the links of the home page (same site, GET only, at most HOME_LINKS; logout, language, admin
  and export links left out), and the menu's pages once more on the English site;
- each page: no 5xx, no debug page or traceback, no dead end (403/404) behind a link the page offered, no
  placeholder text (template syntax, "%(name)s", "上线后", TODO, "None" where a value belongs), no raw
  internal code (NON_ENFORCEMENT, IN_CASE …) where a label exists;
- each list page offering an export (a link with export=csv / export=xlsx): both formats answer 200, parse
  (csv module, openpyxl) and hold exactly as many data rows as the list counts (its "共 N …", else its
  paginator, else the rows the view hands the template) — no truncated export;
- exports honour the filters: one choice of the list's filter form that narrows the list is applied; the
  export links of the filtered page (and of the table htmx swaps in when the filter changes in the browser)
  carry it, and their files hold the filtered count.

`crawl(client, user)` does the walking and returns what it found, so it can be run by hand against a copy of
the seeded database (see the __main__ block at the end) without seeding again.
"""
import csv
import io
import logging
import re
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest

from tests.walk.conftest import DEMO_LOGINS

DETAIL_LINKS = 2         # detail links followed from the rows of each list page
HOME_LINKS = 40          # links of the home page followed (after the menu's)
FILTER_TRIES = 8         # filter choices tried per list before giving up on finding one that narrows it
SKIP_LINK = re.compile(r"/accounts/logout|/i18n/|setlang|^/admin/|/static/|/media/|/api/|[?&]export=")

# Text a user must never see: template syntax, interpolation left unfilled, a promise of "later", a Python repr.
PLACEHOLDERS = [
    (re.compile(r"\{\{|\}\}|\{%|%\}"), "template syntax"),
    (re.compile(r"%\(\w+\)[sdif]"), "unfilled %(name)s"),
    (re.compile(r"将在对应模块上线后显示|上线后|敬请期待"), "not-yet-built placeholder"),
    (re.compile(r"\bTODO\b|\bFIXME\b|\bTBD\b|\bXXX\b|lorem ipsum", re.I), "TODO text"),
    (NONE_VALUE := re.compile(r"(?<![A-Za-z])None(?![A-Za-z])"), "Python None shown as a value"),
    (re.compile(r"(?<![A-Za-z])(?:undefined|NaN)(?![A-Za-z])"), "JavaScript undefined/NaN"),
    (re.compile(r"<bound method|object at 0x|__proxy__|<django\."), "Python repr"),
]
DEBUG_PAGE = re.compile(rb"Traceback \(most recent call last\)|Exception Value:|<h1>Server Error \(500\)</h1>"
                        rb"|You're seeing this error because you have")
RAW_CODE = re.compile(r"(?<![A-Za-z0-9_])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?![A-Za-z0-9_])")
WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Z]{3,}(?![A-Za-z0-9_])")
ACRONYMS = {"PDF", "CSV", "XLSX", "API", "URL", "HTTP", "HTTPS", "GPS", "SMS", "DOCX", "JPEG", "PNG", "ID", "OK"}
SUBNAV_LINKS = ("//main//*[contains(@class, 'anju-subnav') or contains(@class, 'nav-tabs') "
                "or contains(@class, 'nav-pills')]//a[@href]")
COUNT_TEXT = re.compile(r"共\s*([\d,]+)\s*(?:件|条|家|个|项|名|人)")
# Lists that show every row at once, without a "共 N" line: their count is the rows the view hands the template.
UNPAGED_ROWS = {
    "registry:street-list": "streets",
    "registry:department-list": "departments",
    "registry:violationtype-list": "types",
}


@dataclass
class Crawl:
    username: str
    pages: int = 0
    exports: int = 0
    filtered: int = 0
    seconds: float = 0.0
    findings: list[str] = field(default_factory=list)
    seen: set = field(default_factory=set)
    visited: list[str] = field(default_factory=list)

    def problem(self, url, message):
        line = f"{self.username} {url}: {message}"
        if line not in self.findings:
            self.findings.append(line)

    def summary(self):
        return (f"{self.username}: {self.pages} pages, {self.exports} exports ({self.filtered} lists filtered), "
                f"{len(self.findings)} findings, {self.seconds:.1f}s")


def _choice_codes():
    """Codes that have a label: the stored values of the models' choices (IN_CASE, PENDING …), and the codes of
    the violation types and departments (NON_ENFORCEMENT, HOUSING …), each shown to users by its name."""
    from django.apps import apps

    from registry.models import Department, ViolationType

    codes = {code for model in (Department, ViolationType) for code in model.objects.values_list("code", flat=True)
             if re.fullmatch(r"[A-Z][A-Z0-9_]{2,}", code)}
    for model in apps.get_models():
        for f in model._meta.get_fields():
            for value, label in getattr(f, "choices", None) or ():
                if isinstance(value, str) and re.fullmatch(r"[A-Z][A-Z0-9_]{2,}", value) and str(label) != value:
                    codes.add(value)
    return codes - ACRONYMS


# --- pages ---------------------------------------------------------------------------------------------

def _html(response):
    import lxml.html

    return lxml.html.fromstring(response.content.decode("utf-8", "replace") or "<html></html>")


def _visible_text(doc, *, without_code=False):
    """What a reader sees: no script, style or template contents; without_code also drops text set as code
    on purpose (font-monospace, <code>: a violation type's or a department's code column)."""
    doc = _copy(doc)
    for el in doc.xpath("//script|//style|//template|//noscript"):
        el.drop_tree()
    if without_code:
        for el in doc.xpath("//code|//kbd|//*[contains(concat(' ', @class, ' '), ' font-monospace ')]"):
            el.drop_tree()
    return " ".join(" ".join(doc.itertext()).split())


def _copy(doc):
    import copy

    return copy.deepcopy(doc)


def _check_page(result: Crawl, url, response, codes=frozenset(), *, english=False):
    if response.status_code >= 500:
        result.problem(url, f"answers {response.status_code}")
        return None
    if DEBUG_PAGE.search(response.content):
        result.problem(url, "shows a debug page or traceback")
        return None
    if response.status_code in (403, 404):
        result.problem(url, f"answers {response.status_code}: a link offered to the user leads nowhere")
        return None
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return None
    doc = _html(response)
    text = _visible_text(doc)
    for pattern, what in PLACEHOLDERS:
        if english and pattern is NONE_VALUE:
            continue  # "None" is an English word
        if m := pattern.search(text):
            start = max(m.start() - 30, 0)
            result.problem(url, f"{what}: …{text[start:m.end() + 30]}…")
    shown = _visible_text(doc, without_code=True)
    raw = {m.group() for m in RAW_CODE.finditer(shown)} | ({m.group() for m in WORD.finditer(shown)} & codes)
    if raw:
        result.problem(url, f"raw internal codes shown: {', '.join(sorted(raw))}")
    return doc


def _get(client, url):
    return client.get(url, follow=True)


def _try_get(client, result: Crawl, url, **kwargs):
    """GET, or None when the view raises (the test client re-raises it: a 500 for the user), noted."""
    try:
        return client.get(url, **kwargs)
    except Exception as exc:
        result.problem(url, f"raises {type(exc).__name__}: {str(exc)[:160]}")
        return None


def _final_url(response, url):
    if response.redirect_chain:
        return urljoin(url, response.redirect_chain[-1][0])
    return url


def _same_site_links(doc, base, xpath="//a[@href]"):
    links = []
    for el in doc.xpath(xpath):
        href = (el.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        parts = urlsplit(urljoin(base, href))
        if parts.netloc and parts.netloc != "testserver":
            continue
        link = parts.path + (f"?{parts.query}" if parts.query else "")
        if SKIP_LINK.search(link) or link in links:
            continue
        links.append(link)
    return links


def _export_links(doc, base):
    """Export targets on a page: links with export=csv|xlsx, and export buttons of a GET form."""
    found = {}
    for el in doc.xpath("//a[@href]"):
        href = urljoin(base, el.get("href"))
        fmt = dict(parse_qsl(urlsplit(href).query)).get("export")
        if fmt in ("csv", "xlsx"):
            parts = urlsplit(href)
            found.setdefault(fmt, parts.path + "?" + parts.query)
    for form in doc.xpath("//form[not(@method) or translate(@method, 'GET', 'get')='get']"):
        for button in form.xpath(".//*[(self::button or self::input) and @name='export']"):
            fmt = button.get("value")
            if fmt in ("csv", "xlsx"):
                fields = [(k, v) for k, v in form.form_values() if k != "export"] + [("export", fmt)]
                action = urlsplit(urljoin(base, form.get("action") or base)).path
                found.setdefault(fmt, action + "?" + urlencode(fields))
    return found


# --- lists and exports -----------------------------------------------------------------------------------

def _list_count(response, doc):
    """The list's total as the page shows it ("共 N 件"), else its paginator's, else the rows it was handed."""
    from django.urls import resolve

    for xpath in ("//*[@data-testid='result-count']", "//*[contains(@class, 'card-footer')]"):
        for el in doc.xpath(xpath):
            if m := COUNT_TEXT.search(" ".join(el.text_content().split())):
                return int(m.group(1).replace(",", ""))
    context = response.context
    if context is not None:
        page = context.get("page")
        if page is not None and hasattr(page, "paginator"):
            return page.paginator.count
        key = UNPAGED_ROWS.get(resolve(response.request["PATH_INFO"]).view_name)
        if key and context.get(key) is not None:
            return len(context[key])
    return None


def _export_rows(client, url):
    """(status, data rows or an error text) of one export download."""
    response = client.get(url)
    if response.status_code != 200:
        return response.status_code, None
    body = response.getvalue() if hasattr(response, "getvalue") else b"".join(response.streaming_content)
    fmt = dict(parse_qsl(urlsplit(url).query)).get("export")
    try:
        if fmt == "csv":
            rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        else:
            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(body), read_only=True).active
            rows = list(sheet.iter_rows(values_only=True))
    except Exception as exc:  # the file itself is the finding
        return 200, f"does not parse as {fmt}: {type(exc).__name__}: {exc}"
    rows = [r for r in rows if any(v not in (None, "") for v in r)]
    return 200, max(len(rows) - 1, 0)  # the header row aside


def _check_exports(client, result: Crawl, list_url, exports, count, label=""):
    for fmt in ("xlsx", "csv"):
        url = exports.get(fmt)
        if url is None:
            result.problem(list_url, f"{label}offers no {fmt} export beside the other format")
            continue
        if url in result.seen:
            continue
        result.seen.add(url)
        result.visited.append(url)
        result.exports += 1
        try:
            status, rows = _export_rows(client, url)
        except Exception as exc:  # raised by the view: a 500 for the user
            result.problem(url, f"{label}export raises {type(exc).__name__}: {str(exc)[:120]}")
            continue
        if status != 200:
            result.problem(url, f"{label}export answers {status}")
        elif isinstance(rows, str):
            result.problem(url, f"{label}export {rows}")
        elif count is not None and rows != count:
            result.problem(url, f"{label}export has {rows} data rows, the list counts {count}")


def _narrowing_filter(client, result: Crawl, doc, list_path, total):
    """One (name, value) of the list's GET filter form whose list is neither empty nor the whole list."""
    tries = []
    for form in doc.xpath("//form[not(@method) or translate(@method, 'GET', 'get')='get']"):
        for select in form.xpath(".//select[@name]"):
            values = [o.get("value") for o in select.xpath(".//option") if o.get("value")]
            tries += [(select.get("name"), v) for v in values[:3]]
        for box in form.xpath(".//input[@type='checkbox' and @name]"):
            tries.append((box.get("name"), box.get("value") or "on"))
    for name, value in tries[:FILTER_TRIES]:
        if name in ("export", "page", "sort"):
            continue
        url = f"{list_path}?{urlencode({name: value})}"
        response = _try_get(client, result, url)
        if response is None or response.status_code != 200:
            continue
        narrowed = _list_count(response, _html(response))
        if narrowed and narrowed < total:
            return name, value, url, response, narrowed
    return None


def _check_filtered_exports(client, result: Crawl, list_path, doc, total):
    found = _narrowing_filter(client, result, doc, list_path, total)
    if found is None:
        return
    name, value, url, response, narrowed = found
    result.filtered += 1
    page = _html(response)
    exports = _export_links(page, url)
    for fmt, link in exports.items():
        if (name, value) not in parse_qsl(urlsplit(link).query):
            result.problem(url, f"the {fmt} export link drops the filter {name}={value}: {link}")
    _check_exports(client, result, url, exports, narrowed, label=f"filtered {name}={value}: ")
    # In the browser the filter form swaps only the table in (htmx), and the address bar follows
    # (hx-push-url): the export links the user then clicks must carry the filter too. Either the swapped
    # response brings them (inside the table or out of band), or the page's export links are a[data-export]
    # to this same list and static/js/exports.js rebuilds them from the address bar when clicked.
    swapped = _try_get(client, result, url, headers={"HX-Request": "true", "HX-Target": "results"})
    if swapped is not None and swapped.status_code == 200 and swapped.content.strip() and b"<html" not in swapped.content[:500].lower():
        fragment = _export_links(_html(swapped), url)
        for fmt, link in fragment.items():
            if (name, value) not in parse_qsl(urlsplit(link).query):
                result.problem(url, f"after an htmx filter the {fmt} export link drops {name}={value}: {link}")
        if not fragment and not _browser_rebuilds_exports(doc, list_path):
            result.problem(url, "filtering in the browser (htmx) swaps only the table: the export links keep "
                                "the unfiltered query")


def _browser_rebuilds_exports(doc, list_path):
    """The page's export links are rebuilt from the address bar when clicked (static/js/exports.js): every
    export link to this list is an a[data-export], the script is loaded, and every htmx filter form pushes
    its query to the address bar."""
    same = [a for a in doc.xpath("//a[@href]")
            if urlsplit(urljoin(list_path, a.get("href"))).path == list_path
            and dict(parse_qsl(urlsplit(a.get("href")).query)).get("export")]
    forms = doc.xpath("//form[@hx-get]")
    return (bool(same) and all(a.get("data-export") for a in same)
            and bool(doc.xpath("//script[contains(@src, 'js/exports.js')]"))
            and all(f.get("hx-push-url") == "true" for f in forms))


# --- the crawl ---------------------------------------------------------------------------------------------

def crawl(client, user) -> Crawl:
    """Walk what `user` can reach from its menu and home page; return the counts and the findings."""
    from django.conf import settings

    from accounts.navigation import menu_for

    started = time.monotonic()
    result = Crawl(user.username)
    codes = _choice_codes()
    client.force_login(user)
    visited = set()

    def visit(url):
        if url in visited:
            return None, None
        visited.add(url)
        result.visited.append(url)
        result.pages += 1
        try:
            response = _get(client, url)
        except Exception as exc:  # the test client re-raises the view's exception: a 500 for the user
            result.problem(url, f"raises {type(exc).__name__}: {str(exc)[:160]}")
            return None, None
        return response, _check_page(result, url, response, codes)

    menu = [item["url"] for item in menu_for(user)]
    pages = list(menu)  # the menu's pages, then those of the sub-navigations they show (credit's tabs …)
    home_links = []
    for url in pages:
        response, doc = visit(url)
        if doc is None:
            continue
        final = _final_url(response, url)
        if url == "/":
            home_links = _same_site_links(doc, final)[:HOME_LINKS]
        if url.startswith("/admin/"):
            continue  # Django's own admin: opened, not walked
        pages += [link for link in _same_site_links(doc, final, SUBNAV_LINKS) if link not in pages]
        # Rows of a list: follow the first few detail links.
        row_links = [link for link in _same_site_links(doc, final, "//tbody//a[@href]")
                     if urlsplit(link).path != urlsplit(final).path][:DETAIL_LINKS]
        for link in row_links:
            visit(link)
        _walk_exports(client, result, response, doc, final)

    for link in home_links:
        response, doc = visit(link)
        if doc is not None:
            _walk_exports(client, result, response, doc, _final_url(response, link))

    # The English site: the menu's pages once more, with the same checks (a translation that drops a
    # %(name)s, a label left as its code, an error only in English).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    try:
        for url in menu:
            if url.startswith("/admin/"):
                continue
            result.pages += 1
            result.visited.append(f"en:{url}")
            try:
                response = _get(client, url)
            except Exception as exc:
                result.problem(f"{url} (English)", f"raises {type(exc).__name__}: {str(exc)[:160]}")
                continue
            _check_page(result, f"{url} (English)", response, codes, english=True)
    finally:
        del client.cookies[settings.LANGUAGE_COOKIE_NAME]

    result.seconds = time.monotonic() - started
    return result


def _walk_exports(client, result: Crawl, response, doc, url):
    exports = _export_links(doc, url)
    if not exports:
        return
    for fmt, link in list(exports.items()):
        list_path = urlsplit(link).path
        query = [(k, v) for k, v in parse_qsl(urlsplit(link).query) if k != "export"]
        list_url = list_path + (f"?{urlencode(query)}" if query else "")
        key = ("list", list_url)
        if key in result.seen:
            exports.pop(fmt)
    if not exports:
        return
    link = next(iter(exports.values()))
    list_path = urlsplit(link).path
    query = [(k, v) for k, v in parse_qsl(urlsplit(link).query) if k != "export"]
    list_url = list_path + (f"?{urlencode(query)}" if query else "")
    result.seen.add(("list", list_url))
    if list_url == urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else ""):
        list_response, list_doc = response, doc
    else:  # the export of another page's list (the supervision board's 导出超期案件): count it there
        list_response = _try_get(client, result, list_url)
        if list_response is None:
            return
        if list_response.status_code != 200:
            result.problem(list_url, f"the list behind the export of {url} answers {list_response.status_code}")
            return
        list_doc = _html(list_response)
    count = _list_count(list_response, list_doc)
    if count is None:
        result.problem(list_url, "shows no count to compare its export with")
    if list_url != url:
        exports = {**_export_links(list_doc, list_url), **exports}
    _check_exports(client, result, list_url, exports, count)
    if count and not query:
        _check_filtered_exports(client, result, list_path, list_doc, count)


# --- the tests ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("username", DEMO_LOGINS)
def test_crawl(demo_user, client, capsys, username):
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.CRITICAL)  # each error is a finding below, not a page of log
    try:
        result = crawl(client, demo_user(username))
    finally:
        request_log.setLevel(level)
    with capsys.disabled():  # the counts, also when the test passes
        print(f"\ncrawl {result.summary()}")
    assert result.pages > 1 and result.exports > 0
    if result.findings:
        pytest.fail(f"{len(result.findings)} findings:\n" + "\n".join(result.findings), pytrace=False)


def test_the_checks_catch_what_they_are_for():
    """The page checks on known bad and good text, without the district (a check that never fires is no guard)."""
    from django.http import HttpResponse

    bad = Crawl("t")
    _check_page(bad, "/bad", HttpResponse(
        "<p>NON_ENFORCEMENT：32</p><p>状态 IN_CASE</p><td>None</td><p>将在对应模块上线后显示</p><p>{{ x }}</p>"
        "<p>%(count)s 件</p>"), {"IN_CASE"})
    found = "\n".join(bad.findings)
    for what in ("template syntax", "%(name)s", "not-yet-built", "None shown", "IN_CASE, NON_ENFORCEMENT"):
        assert what in found, found
    good = Crawl("t")
    _check_page(good, "/good", HttpResponse(
        '<p>共 12 件 · 87.1% · CSV · PDF · 12345热线 — 已立案办理</p><span class="font-monospace">NON_ENFORCEMENT</span>'
        '<script>var t = "{{ none }}" + undefined;</script>'), {"IN_CASE"})
    assert not good.findings
    assert _check_page(Crawl("t"), "/500", HttpResponse("Traceback (most recent call last):", status=500)) is None


if __name__ == "__main__":  # by hand, on a copy of the seeded demo database (see the module docstring)
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anju.settings")
    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import User

    setup_test_environment()
    total = []
    verbose = "-v" in sys.argv
    for name in [a for a in sys.argv[1:] if a != "-v"] or DEMO_LOGINS:
        found = crawl(Client(raise_request_exception=True), User.objects.get(username=name))
        print(found.summary(), flush=True)
        if verbose:
            print("  visited:", " ".join(found.visited))
        for line in found.findings:
            print(" -", line, flush=True)
        total += found.findings
    print(len(total), "findings")
