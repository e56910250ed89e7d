"""English through Django's i18n: the compiled catalogue ships in locale/en, and switching the
language turns the pages' own strings into English (data stored in the database stays Chinese).

The catalogue tests fail when a string in the code has no English (or only a fuzzy guess), when the shipped
.mo was not compiled from the shipped .po, or when a translation drops a placeholder. The page tests fail
when a page shows Chinese in English mode that is not data from the database: a string hard-coded in a
template or in Python instead of being wrapped for translation."""
import ast
import gettext
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

PO = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
# The options the catalogue was last made with (makemessages -l en --ignore=.venv --ignore=node_modules --ignore=var).
IGNORED = [".venv", "node_modules", "var"]


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


# --- the catalogue -------------------------------------------------------------------------------------------

def read_po(path: Path) -> list[dict]:
    """The live entries of a .po file (header and obsolete #~ entries left out): msgctxt, msgid, msgid_plural,
    msgstr (a list: one form, or one per plural form) and flags. Enough of the format for makemessages' output."""
    entries, entry, key = [], None, None

    def close():
        if entry is not None and entry.get("msgid"):
            entries.append(entry)

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line or line.startswith("#~"):
            close()
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(key, int):
                entry["msgstr"][key] += value
            else:
                entry[key] += value
        else:
            name, _space, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            match = re.fullmatch(r"msgstr\[(\d+)\]", name)
            if match:
                key = int(match[1])
                entry["msgstr"][key] = value
            elif name == "msgstr":
                key = 0
                entry["msgstr"][0] = value
            else:
                key = name
                entry[name] = value
    close()
    for entry in entries:
        entry["msgstr"] = [entry["msgstr"][n] for n in sorted(entry["msgstr"])]
    return entries


def unfinished(entries) -> list[str]:
    """The msgids that have no English, or only a fuzzy one."""
    return [e["msgid"] for e in entries if "fuzzy" in e["flags"] or not all(e["msgstr"])]


def test_compiled_english_catalogue_ships():
    assert MO.exists()
    with translation.override("en"):
        assert translation.gettext("住宅小区") == "Residential communities"
        assert translation.gettext("诉件") == "Complaint"


def test_read_po_sees_empty_fuzzy_and_plural_entries(tmp_path):
    """The reader the checks below rely on: a fuzzy, an empty and a half-empty plural entry are unfinished."""
    po = tmp_path / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
                  '#, fuzzy\nmsgid "甲"\nmsgstr "A"\n\n'
                  'msgid "乙"\nmsgstr ""\n\n'
                  'msgid "丙 %(n)s"\nmsgid_plural "丙 %(n)s"\nmsgstr[0] "one %(n)s"\nmsgstr[1] ""\n\n'
                  'msgctxt "x"\nmsgid ""\n"丁"\nmsgstr ""\n"D \\"d\\""\n\n'
                  '#~ msgid "戊"\n#~ msgstr ""\n', encoding="utf-8")
    entries = read_po(po)
    assert [e["msgid"] for e in entries] == ["甲", "乙", "丙 %(n)s", "丁"]
    assert entries[3]["msgctxt"] == "x" and entries[3]["msgstr"] == ['D "d"']
    assert unfinished(entries) == ["甲", "乙", "丙 %(n)s"]


def test_shipped_catalogue_has_no_untranslated_or_fuzzy_entry():
    entries = read_po(PO)
    assert len(entries) > 900
    assert unfinished(entries) == []


def test_translations_keep_every_placeholder():
    wrong = []
    for e in read_po(PO):
        wanted = sorted(PLACEHOLDER.findall(e["msgid"]))
        wrong += [(e["msgid"], s) for s in e["msgstr"] if sorted(PLACEHOLDER.findall(s)) != wanted]
    assert wrong == []


def test_shipped_mo_is_compiled_from_the_shipped_po():
    with MO.open("rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog
    stale = []
    for e in read_po(PO):
        msgid = f'{e["msgctxt"]}\x04{e["msgid"]}' if e["msgctxt"] else e["msgid"]
        if e["msgid_plural"]:
            found = [catalog.get((msgid, n)) for n in range(len(e["msgstr"]))]
        else:
            found = [catalog.get(msgid)]
        if found != e["msgstr"]:
            stale.append(e["msgid"])
    assert stale == [], "compile again: msgfmt -o locale/en/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.po"


@pytest.mark.skipif(not (shutil.which("xgettext") and shutil.which("msgmerge")),
                    reason="GNU gettext is not installed (apt-get install gettext)")
def test_catalogue_covers_every_string_in_the_code(tmp_path, monkeypatch):
    """makemessages over a copy of the sources, merged into a copy of the shipped catalogue: every string the
    code marks for translation must come out translated and not fuzzy. (A copy, so that nothing is written
    into the working tree.)"""
    base = settings.BASE_DIR
    tree = tmp_path / "src"
    for folder, dirs, files in os.walk(base):
        dirs[:] = [d for d in dirs if d not in IGNORED and d != "locale" and not d.startswith(".")]
        for name in files:
            if Path(name).suffix in {".py", ".html", ".txt"}:
                relative = Path(folder, name).relative_to(base)
                (tree / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(base / relative, tree / relative)
    locale = tmp_path / "locale"
    (locale / "en" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copyfile(PO, locale / "en" / "LC_MESSAGES" / "django.po")
    monkeypatch.chdir(tree)
    with override_settings(LOCALE_PATHS=[locale]):
        call_command("makemessages", locale=["en"], ignore_patterns=IGNORED, verbosity=0)
    merged = read_po(locale / "en" / "LC_MESSAGES" / "django.po")
    assert len(merged) >= len(read_po(PO)) * 0.9  # the copy held the sources
    assert unfinished(merged) == [], "run makemessages and translate these strings"


# --- pages ---------------------------------------------------------------------------------------------------

class _Text(HTMLParser):
    """The text a person sees (and the title, placeholder, aria-label and alt attributes), scripts left out."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.parts += [value for name, value in attrs if name in ("title", "placeholder", "aria-label", "alt") and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def _stored_chinese() -> list[str]:
    """Every Chinese text stored in the project's tables (names, addresses, case texts …): data, not interface."""
    values = {settings.ANJU_DISTRICT_NAME, "简体中文"}
    for model in apps.get_models():
        if model.__module__.split(".")[0] not in {"accounts", "registry", "intake", "cases", "credit", "programme"}:
            continue
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
        for row in model.objects.values_list(*fields) if fields else ():
            values |= {v.strip() for v in row if v and CJK.search(v)}
    return sorted(values, key=len, reverse=True)


# Pieces known to stay Chinese in English pages (none today); each a compiled pattern with a reason.
KNOWN: list = []


def chinese_interface(html: str) -> list[str]:
    """Pieces of the page that are Chinese once the stored data (and the KNOWN pieces) are taken out of them."""
    parser = _Text()
    parser.feed(html)
    data = _stored_chinese()
    left = []
    for text in parser.parts:
        if not CJK.search(text):
            continue
        for value in data:
            if value in text:
                text = text.replace(value, " ")
                if not CJK.search(text):
                    break
        for known in KNOWN:
            text = known.sub(" ", text)
        if CJK.search(text):
            left.append(text)
    return left


def english(client, user, url) -> str:
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert '<html lang="en">' in html
    return html


def test_chinese_interface_finds_what_is_not_translated(client, world):  # noqa: F811
    """The detector the page tests rely on: the Chinese page is full of interface text, data is not counted."""
    client.force_login(world.alice)
    html = client.get(reverse("programme:inventory")).content.decode()
    assert "存量违建台账" in chinese_interface(html)
    assert world.caoyang.name in html and world.caoyang.name not in chinese_interface(html)


def test_community_list_in_english_after_switching(client, world):  # noqa: F811
    client.force_login(world.oscar)
    url = reverse("registry:community-list")
    response = client.post(reverse("set_language"), {"language": "en", "next": url})
    assert response.status_code == 302
    response = client.get(url)
    assert response.status_code == 200
    title = _title(response)
    assert "Residential communities" in title
    assert "住宅小区" not in title
    assert '<html lang="en">' in response.content.decode()
    # data stays as stored
    assert world.caoyang_a.name in response.content.decode()


def test_community_list_in_chinese_by_default(client, world):  # noqa: F811
    client.force_login(world.oscar)
    response = client.get(reverse("registry:community-list"))
    assert response.status_code == 200
    title = _title(response)
    assert "住宅小区" in title
    assert "Residential communities" not in title


def test_english_cookie_translates_login_page(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("login"))
    assert "Log in" in _title(response)


def test_credit_pages_in_english(client, world, settings, tmp_path):  # noqa: F811
    """A duty check opened by filing an owner's case: the bureau's list and the check, and the company's own
    page, show no Chinese but the data."""
    from credit.tests.helpers import check_of, filed_owner_case

    settings.MEDIA_ROOT = tmp_path / "media"
    check = check_of(filed_owner_case(world))
    pages = [(world.oscar, reverse("credit:duty-checks"), "Property duty checks"),
             (world.oscar, reverse("credit:duty-check", args=[check.pk]), "Property duty check"),
             (world.alice, reverse("credit:ranking"), "Property company credit ranking"),
             (world.paul, reverse("credit:mine"), "Our duties and credit")]
    for user, url, title in pages:
        html = english(client, user, url)
        assert f"<title>{title}" in html, url
        assert chinese_interface(html) == [], url
    assert check.case.number in html or world.company_a.name in html


def test_inventory_pages_in_english(client, world):  # noqa: F811
    from programme.tests.helpers import days_ago, item

    existing = item(world, target_date=days_ago(5))
    item(world, community=world.changfeng_b, kind="NEW", location="3号楼 露台", found_on=days_ago(3))
    for url, title in [(reverse("programme:inventory"), "Illegal-construction inventory"),
                       (reverse("programme:progress"), "Existing illegal construction: progress to zero"),
                       (reverse("programme:structure-detail", args=[existing.pk]), "Inventory item")]:
        html = english(client, world.alice, url)
        assert f"<title>{title}" in html, url
        assert chinese_interface(html) == [], url
    assert "Overdue, not cleared" in html and "New (under construction)" in english(
        client, world.alice, reverse("programme:inventory"))
