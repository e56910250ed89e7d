"""core.search.grams gives exactly what PostgreSQL's anju_grams gives (the 12345 import writes the one, the
trigger of every other writer the other): on the classifier's corpus and on text where Python and PostgreSQL
could differ (case of non-Latin letters, full-width characters, spaces, quotes and backslashes, empty fields,
NULL)."""
import csv
from pathlib import Path

import pytest
from django.db import connection

from core import search

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="anju_grams is PostgreSQL's")]

CORPUS = Path(__file__).resolve().parents[2] / "data" / "intake" / "corpus.csv"
TRICKY = [
    ("", "", ""), (" ", "", ""), ("  ", "  ", "  "), ("a", "", ""), ("", "兰溪路", ""),
    ("ABC Def GHI", "XYZ", "QRS"), ("ＡＢＣ　ｄｅｆ", "１２３４５", "Ｆｕｌｌ"),  # full-width letters, digits, space
    ("ΟΔΟΣ ΣΑ Σ", "İSTANBUL IĞDIR", "ẞ ǅ ǈ Ⅻ Ⓐ"),  # final sigma, dotted I, title case, Roman numerals
    ("it's 'quoted'", "a\\b \\\\ c", "''"), ("tab\there", "new\nline\r\n", "x:1 y:*"),
    ("!&|()<> -", "a'b\\c", "'\\"), ("表情😀🏠好", "组合e\u0301字", "\u3000\u3000全角空格"),
    ("12345 工单 NO.12345", "长寿路 88弄 5 号", "群租"), ("重复重复重复", "aaaa", "AaAa"),
]


def _database_grams(texts: list[tuple]) -> list:
    """anju_grams of each (content, address, hint), joined as the column joins them, as PostgreSQL gives it."""
    columns = [list(column) for column in zip(*texts, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT anju_grams(c || ' ' || a || ' ' || h) FROM unnest(%s::text[], %s::text[], %s::text[]) "
                       "WITH ORDINALITY AS t(c, a, h, n) ORDER BY n", columns)
        return [row[0] for row in cursor.fetchall()]


def _as_database_reads(values: list) -> list:
    """The Python pairs as PostgreSQL reads them (the text cast to tsvector, as the import writes them)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT g::tsvector::text FROM unnest(%s::text[]) WITH ORDINALITY AS t(g, n) ORDER BY n",
                       [values])
        return [row[0] for row in cursor.fetchall()]


def _assert_same(texts):
    ours = _as_database_reads([search.grams(*text) for text in texts])
    theirs = _database_grams(texts)
    assert len(ours) == len(theirs) == len(texts)
    for text, mine, database in zip(texts, ours, theirs, strict=True):
        assert mine == database, text


def test_the_pairs_of_the_corpus_are_postgresqls():
    with CORPUS.open(encoding="utf-8") as f:
        rows = [row["text"] for row in csv.DictReader(f)]
    assert len(rows) > 3000
    # the corpus's texts as content, the next one's start as address, its labels as hint (upper-case Latin)
    texts = [(text, rows[i - 1][:20], "EBIKE_PARKING 群租") for i, text in enumerate(rows)]
    _assert_same(texts)


def test_the_pairs_of_tricky_text_are_postgresqls():
    _assert_same(TRICKY)
    assert search.grams("", "", "") == ""  # an empty tsvector, as anju_grams gives


def test_a_null_field_gives_null_as_in_postgresql():
    assert search.grams(None, "兰溪路", "") is None and search.grams("a", "b", None) is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT anju_grams(NULL || ' ' || 'b' || ' ' || '')")
        assert cursor.fetchone()[0] is None


def test_lower_case_is_postgresqls_for_every_character():
    """Every code point, lower-cased by PostgreSQL and by grams' Python (each character with a space after it, so
    a word-final Σ is one too); a pair of a character and a space is in the pairs exactly when the lower-cased
    character is."""
    text = " ".join(chr(c) for c in range(1, 0x110000) if not 0xD800 <= c <= 0xDFFF)
    with connection.cursor() as cursor:
        cursor.execute("SELECT lower(%s)", [text])
        (database,) = cursor.fetchone()
    assert search.lower(text) == database
