"""core.exports: a row that fails closes the rows' source at once (a queryset's server-side cursor on PostgreSQL
must be closed inside its own transaction, not later by the garbage collector in another one)."""
import io

import pytest

from core import exports


def source(closed: list):
    try:
        yield from (1, 2, 3)
    finally:
        closed.append(True)


def fails_on_two(value):
    if value == 2:
        raise RuntimeError("broken row")
    return value


@pytest.mark.parametrize("write", [exports.write_csv, exports.write_xlsx])
def test_a_failing_row_closes_the_source_while_the_error_is_still_held(write):
    closed = []
    with pytest.raises(RuntimeError) as held:  # the traceback keeps every frame, and their locals, alive
        write(io.BytesIO(), source(closed), [("值", fails_on_two)])
    assert held.value.args == ("broken row",)
    assert closed == [True]


def test_a_finished_export_has_every_row():
    closed = []
    target = io.BytesIO()
    exports.write_csv(target, source(closed), [("值", lambda v: v)])
    assert target.getvalue().decode("utf-8-sig").split() == ["值", "1", "2", "3"]
    assert closed == [True]
