"""The list search boxes: every word typed must appear, as part of a word, in one of a list's text fields.

Chinese has no spaces between words, so a search is a substring search ("曹杨" inside "曹杨新村"). On SQLite that is
LIKE over each field, fine for a district's first years. On PostgreSQL a LIKE '%…%' reads every row: at five million
complaints, seconds. PostgreSQL's trigram index cannot help a two-character word, the commonest Chinese search
(群租, 违建, 曹杨: no trigram lies inside two characters). So each searched table carries one GIN index over the
character pairs (bigrams) of its text fields together, `anju_grams(text)`: a word of two or more characters
must contain all its pairs, one character must begin a pair. The index narrows the rows; the LIKE on each field
then confirms them (a pair may straddle two fields, or the pairs be in another order). Numbers like a 12345
order number are searched by a trigram index on that field alone: digit pairs are in every row.

`GramIndex` declares such an index in a migration (PostgreSQL only; SQLite skips it) and `matching` builds the
condition for one word. A table's fields, the index and the search must name the same fields in the same order:
the index is used only when the query repeats its expression exactly.
"""
from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

FUNCTION = r"""
CREATE OR REPLACE FUNCTION anju_grams(value text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_to_tsvector(array_agg(DISTINCT gram)), ''::tsvector)
    FROM (SELECT substr(lower(value || ' '), i, 2) AS gram
          FROM generate_series(1, char_length(value)) AS i) AS grams
    WHERE gram <> '' AND gram <> '  '
$$;
"""


def _joined(table: str, fields: tuple[str, ...]) -> str:
    return " || ' ' || ".join(f'"{table}"."{field}"' for field in fields)


def index_sql(table: str, fields: tuple[str, ...], name: str) -> str:
    return (f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin '
            f"(anju_grams({_joined(table, fields)}))")


def _quoted(gram: str) -> str:
    return "'" + gram.replace("\\", "\\\\").replace("'", "''") + "'"


def grams_query(word: str) -> str:
    """The tsquery for one word: all its character pairs, or pairs beginning with its one character."""
    word = word.lower()
    if len(word) == 1:
        return f"{_quoted(word)}:*"
    return " & ".join(_quoted(word[i:i + 2]) for i in range(len(word) - 1))


def uses_grams() -> bool:
    return connection.vendor == "postgresql"


def grams_match(table: str, fields: tuple[str, ...], word: str) -> Q:
    """Rows whose fields, together, hold every character pair of `word` (PostgreSQL; narrows, LIKE confirms)."""
    expression = RawSQL(f"anju_grams({_joined(table, fields)}) @@ %s::tsquery", [grams_query(word)],
                        output_field=BooleanField())
    return Q(expression)


def matching(model, word: str, fields: tuple[str, ...], *, indexed: tuple[str, ...] = (),
             trigram: tuple[str, ...] = (), lookups: dict | None = None) -> Q:
    """The condition for one searched word.

    fields: every text field searched (LIKE). indexed: the fields of the table's GramIndex, in its order (narrowed
    by it on PostgreSQL). trigram: fields with a trigram index (order numbers: searched only with a word without Chinese
    on PostgreSQL). lookups: {foreign key field: queryset of matching ids}, for names in
    small related tables (the community, the street), which are matched there and not in the big table."""
    like = Q()
    for field in fields:
        like |= Q(**{f"{field}__icontains": word})
    if indexed and uses_grams():
        narrowed = grams_match(model._meta.db_table, indexed, word)
        rest = Q()
        for field in fields:
            if field not in indexed:
                rest |= Q(**{f"{field}__icontains": word})
        inside = Q()
        for field in indexed:
            inside |= Q(**{f"{field}__icontains": word})
        like = (narrowed & inside) | rest if rest else narrowed & inside
    for field in trigram:
        if word.isascii() or not uses_grams():
            like |= Q(**{f"{field}__icontains": word})
    for field, ids in (lookups or {}).items():
        # literal ids, not a subquery: PostgreSQL can only combine an index scan per branch when each is a plain
        # condition on an indexed column
        if found := list(ids.values_list("pk", flat=True)[:500]):
            like |= Q(**{f"{field}__in": found})
    return like
