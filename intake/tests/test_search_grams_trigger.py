"""The complaint's pair column (core.search, intake 0013) on PostgreSQL: a plain column that the 12345 import
fills itself and a trigger fills for every other writer — the form's and the API's service, ORM saves and
updates, raw inserts (the scale generator, the demo) — and recomputes when the searched text changes."""
from datetime import date
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from demo import hotline as demo_hotline
from intake import services
from intake.choices import Channel
from intake.hotline_import import RowDecider
from intake.models import Complaint
from intake.tests.helper_fakes import InHelper

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the column is PostgreSQL's")]


def _wrong(ids=None) -> list[int]:
    """Complaints whose column is not anju_grams of their text fields (NULL is wrong too: the fields are never)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM intake_complaint WHERE search_grams IS DISTINCT FROM "
                       "anju_grams(content || ' ' || address_text || ' ' || category_hint)"
                       + (" AND id = ANY(%s)" if ids is not None else "") + " ORDER BY id",
                       [list(ids)] if ids is not None else [])
        return [row[0] for row in cursor.fetchall()]


def _grams(pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_grams::text FROM intake_complaint WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _receive(content, address="兰溪路88弄", hint=""):
    return services.complaint_receive(data=services.ComplaintInput(
        channel=Channel.HOTLINE, content=content, address=address, category_hint=hint, received_at=timezone.now()))


def test_the_column_is_no_longer_generated_and_has_the_trigger():
    with connection.cursor() as cursor:
        cursor.execute("SELECT is_generated FROM information_schema.columns "
                       "WHERE table_name = 'intake_complaint' AND column_name = 'search_grams'")
        assert cursor.fetchone() == ("NEVER",)
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'intake_complaint'::regclass "
                       "AND tgname LIKE 'intake_complaint_search_grams_%%'")
        assert cursor.fetchone() == (2,)


def test_every_other_writer_gets_the_pairs_from_the_trigger(world, keyword_classifier, client):
    made = _receive("楼道飞线充电 ABC", hint="ＡＢＣ")  # the service of the forms and the API
    client.force_login(world.alice)
    response = client.post("/api/v1/intake/manual/", {"content": "群租 Apartment", "address": "长寿路5号"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    bulk = Complaint.objects.bulk_create([Complaint(content="违建 IN bulk", address_text="武宁路",
                                                    received_at=timezone.now())])
    with connection.cursor() as cursor:  # a raw insert naming no pair column (as bench/scale_generate.py's copies)
        cursor.execute("INSERT INTO intake_complaint (content, address_text, category_hint, raw_row, received_at, "
                       "created_at, updated_at, channel, external_no, caller_name, caller_phone, routing_note, "
                       "status, confidence, match_score, match_evidence, classification_evidence, repeat_count, "
                       "needs_consultation, community_source, type_source) "
                       "SELECT content || '（复制）', address_text, category_hint, raw_row, received_at, created_at, "
                       "updated_at, channel, '', caller_name, caller_phone, routing_note, status, confidence, "
                       "match_score, match_evidence, classification_evidence, repeat_count, needs_consultation, "
                       "community_source, type_source FROM intake_complaint WHERE id = %s RETURNING id", [made.pk])
        (raw,) = cursor.fetchone()
    ids = [made.pk, response.json()["id"], bulk[0].pk, raw]
    assert Complaint.objects.filter(pk__in=ids).count() == 4
    assert _wrong(ids) == [] and "'ab' " in _grams(made.pk) and "'ａｂ'" in _grams(made.pk) and "'群租'" in _grams(ids[1])


def test_a_change_of_the_searched_text_recomputes_and_other_changes_keep_the_pairs(world, keyword_classifier):
    one, two = _receive("楼道飞线充电"), _receive("占道经营")
    before = _grams(two.pk)
    one.content = "夜间施工噪音"
    one.save()  # the ORM's save: every column but the pair column
    Complaint.objects.filter(pk=two.pk).update(address_text="新地址路1号")
    assert _wrong([one.pk, two.pk]) == [] and "'噪音'" in _grams(one.pk) and _grams(two.pk) != before
    after = _grams(two.pk)
    Complaint.objects.filter(pk=two.pk).update(repeat_count=3, status="ROUTED")  # not a searched field
    Complaint.objects.filter(pk=two.pk).update(category_hint="")  # a searched field, unchanged value
    assert _grams(two.pk) == after
    Complaint.objects.filter(pk=two.pk).update(category_hint="群租")
    assert _wrong([two.pk]) == [] and "'群租'" in _grams(two.pk)
    with connection.cursor() as cursor:  # a writer giving the column (the import) is trusted; NULL is filled
        cursor.execute("UPDATE intake_complaint SET content = 'x', search_grams = 'zz'::tsvector WHERE id = %s",
                       [one.pk])
        assert _grams(one.pk) == "'zz'"
        cursor.execute("UPDATE intake_complaint SET search_grams = NULL WHERE id = %s", [one.pk])
    assert _wrong([one.pk]) == [] and "'x '" in _grams(one.pk) and "'噪音'" not in _grams(one.pk)


@pytest.mark.parametrize("helper", [False, True])
def test_the_import_writes_the_pairs_postgresql_would_compute(world, tmp_path, helper):
    rows = demo_hotline.generate(120, start=date(2026, 2, 2), end=date(2026, 2, 28), seed=7,
                                 places=demo_hotline.load_places())
    for i, row in enumerate(rows[:10]):  # upper-case and full-width Latin, quotes, a hint
        row["诉求内容"] += f" NO.{i} ＡＢ'\\"
        row["诉求分类"] = "EBIKE 电动车"
    path = demo_hotline.write_csv(tmp_path / "12345.csv", rows)
    with connection.cursor() as cursor:  # the pairs must be the import's own (until the test's transaction ends)
        cursor.execute('ALTER TABLE intake_complaint DISABLE TRIGGER "intake_complaint_search_grams_insert"')
    # with the helper: the importing process waits a little per chunk it decides, so the helper decides some
    slow = property(lambda ctx: InHelper(RowDecider.of(ctx), slow=0.05))
    with mock.patch.object(services, "CHUNK", 16), \
            mock.patch.object(services, "HELPER_MIN_ROWS", 0 if helper else 10**6), \
            mock.patch.object(services.Context, "decider", slow if helper else services.Context.decider):
        report = services.import_hotline(path=path)
    assert report.created == 120 and Complaint.objects.count() == 120 and _wrong() == []
    assert Complaint.objects.filter(content__contains="ＡＢ'").count() == 10
