"""The list search boxes: every word typed must appear, as part of a word, in one of a list's text fields.

Chinese has no spaces between words, so a search is a substring search ("曹杨" inside "曹杨新村"). On SQLite that is
LIKE over each field, fine for a district's first years. On PostgreSQL a LIKE '%…%' reads every row: at five million
complaints, seconds. PostgreSQL's trigram index cannot help a two-character word, the commonest Chinese search
(群租, 违建, 曹杨: no trigram lies inside two characters). So each searched table carries one GIN index over the
character pairs (bigrams) of its text fields together, `anju_grams(text)`: a word of two or more characters
must contain all its pairs, one character must begin a pair. The index narrows the rows; the LIKE on each field
then confirms them (the pairs may be in another order). Numbers like a 12345 order number are searched by a
trigram index on that field alone: digit pairs are in every row.

The pairs are kept in a stored column, `search_grams` (PostgreSQL only, added by a migration with `column_sql`
as a generated column; the ORM does not know it and SQLite has none), with a GIN index. Stored, not an index on the
expression: PostgreSQL re-evaluates an expression index's expression for every row it confirms, and computing the
pairs costs a quarter of a millisecond a row (4 s for 14,000 rows of a street-wide search). `matching` builds
the condition for one word.

The complaint's column is a plain one kept by a trigger instead (`trigger_sql`, intake 0013): the 12345 import
writes the pairs it computed itself (`grams`, in its helper process, parallel to the writer: computing them in
the database was a third of PostgreSQL's work of an import), every other writer leaves the column to the trigger.
"""
from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

FUNCTION = r"""
CREATE OR REPLACE FUNCTION anju_grams(value text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_to_tsvector(ARRAY(
        SELECT substr(v, i, 2) FROM generate_series(1, char_length(v) - 1) AS i WHERE substr(v, i, 2) <> '  '))
    FROM (SELECT lower(value || ' ') AS v) AS padded
$$;
"""


def _joined(table: str, fields: tuple[str, ...]) -> str:
    return " || ' ' || ".join(f'"{table}"."{field}"' for field in fields)


COLUMN = "search_grams"


def column_sql(table: str, fields: tuple[str, ...], index_name: str) -> list[str]:
    """The statements adding `table`'s pair column over `fields` and its index (PostgreSQL; rewrites the table)."""
    return [
        f'ALTER TABLE "{table}" ADD COLUMN IF NOT EXISTS "{COLUMN}" tsvector '
        f"GENERATED ALWAYS AS (anju_grams({_joined(table, fields)})) STORED",
        f'CREATE INDEX IF NOT EXISTS "{index_name}" ON "{table}" USING gin ("{COLUMN}")',
    ]


def trigger_sql(table: str, fields: tuple[str, ...]) -> list[str]:
    """The statements turning `table`'s generated pair column into a plain one (its values kept: no rewrite) kept
    by a trigger: on INSERT when the writer gave none (NULL), on UPDATE when it is NULL or when the searched
    fields changed and the column did not. A writer that gives the column must give `grams(*fields)`."""
    new, old = (", ".join(f'{side}."{field}"' for field in fields) for side in ("NEW", "OLD"))
    joined = " || ' ' || ".join(f'NEW."{field}"' for field in fields)
    function, trigger = f"{table}_{COLUMN}_fill", f"{table}_{COLUMN}"
    return [
        f'ALTER TABLE "{table}" ALTER COLUMN "{COLUMN}" DROP EXPRESSION',
        f'CREATE OR REPLACE FUNCTION "{function}"() RETURNS trigger LANGUAGE plpgsql AS $$ '
        f'BEGIN NEW."{COLUMN}" := anju_grams({joined}); RETURN NEW; END $$',
        f'CREATE TRIGGER "{trigger}_insert" BEFORE INSERT ON "{table}" FOR EACH ROW '
        f'WHEN (NEW."{COLUMN}" IS NULL) EXECUTE FUNCTION "{function}"()',
        f'CREATE TRIGGER "{trigger}_update" BEFORE UPDATE ON "{table}" FOR EACH ROW '
        f'WHEN (NEW."{COLUMN}" IS NULL OR (({new}) IS DISTINCT FROM ({old}) '
        f'AND NEW."{COLUMN}" IS NOT DISTINCT FROM OLD."{COLUMN}")) EXECUTE FUNCTION "{function}"()',
    ]


def untrigger_sql(table: str, fields: tuple[str, ...], index_name: str) -> list[str]:
    """trigger_sql undone: the generated column again (PostgreSQL before 17 cannot give a column its expression
    back: it is dropped and added, which rewrites the table and rebuilds its index)."""
    return [
        f'DROP TRIGGER IF EXISTS "{table}_{COLUMN}_insert" ON "{table}"',
        f'DROP TRIGGER IF EXISTS "{table}_{COLUMN}_update" ON "{table}"',
        f'DROP FUNCTION IF EXISTS "{table}_{COLUMN}_fill"()',
        f'ALTER TABLE "{table}" DROP COLUMN IF EXISTS "{COLUMN}"',
        *column_sql(table, fields, index_name),
    ]


# PostgreSQL's lower() maps character by character (towlower; checked for every code point in
# core/tests/test_search_grams.py); Python's also lowers İ to two characters and Σ at a word's end to ς.
_AS_PG = (("\u0130", "i"), ("\u03a3", "\u03c3"))


def lower(value: str) -> str:
    """`value` lower-cased as PostgreSQL's lower() does it in a database with a UTF-8 libc LC_CTYPE (C.UTF-8 here)."""
    if not value.isascii():
        for upper, lower_ in _AS_PG:
            if upper in value:
                value = value.replace(upper, lower_)
    return value.lower()


def grams(*fields: str | None) -> str | None:
    """`anju_grams(f1 || ' ' || f2 …)` in Python, as tsvector text (cast by PostgreSQL): the lower-cased pairs of
    the fields joined by a space, a space added at the end, without the pair of two spaces. None if a field is
    None (the SQL is STRICT and || gives NULL)."""
    if None in fields:
        return None
    value = lower(" ".join(fields) + " ")
    pairs = {value[i:i + 2] for i in range(len(value) - 1)}
    pairs.discard("  ")
    if not pairs:
        return ""
    if "'" in value or "\\" in value:
        return " ".join(map(_quoted, pairs))
    return "'" + "' '".join(pairs) + "'"


def _quoted(gram: str) -> str:
    return "'" + gram.replace("\\", "\\\\").replace("'", "''") + "'"


def grams_query(word: str) -> str:
    """The tsquery for one word: all its character pairs, or pairs beginning with its one character."""
    word = word.lower()
    if len(word) == 1:
        return f"{_quoted(word)}:*"
    return " & ".join(_quoted(word[i:i + 2]) for i in range(len(word) - 1))


def exact_by_grams(word: str) -> bool:
    """Whether the pair column alone answers "does a field contain `word`": for one character (every character
    begins a pair: the text is padded with a space) and for two (the word is its one pair; fields are joined by a
    space, so no pair spans two fields with a word's two characters). Longer words need the LIKE: their pairs may
    lie apart."""
    return len(word) <= 2 and not any(ch.isspace() for ch in word)


def uses_grams() -> bool:
    return connection.vendor == "postgresql"


def grams_match(table: str, word: str) -> Q:
    """Rows whose searched fields, together, hold every character pair of `word` (PostgreSQL; narrows, LIKE
    confirms)."""
    return Q(RawSQL(f'"{table}"."{COLUMN}" @@ %s::tsquery', [grams_query(word)], output_field=BooleanField()))


def matching(model, word: str, fields: tuple[str, ...], *, trigram: tuple[str, ...] = (),
             lookups: dict | None = None) -> Q:
    """The condition for one searched word.

    fields: the text fields searched (LIKE), those of the table's pair column, in its order (narrowed by it on
    PostgreSQL). trigram: fields with a trigram index (order numbers: searched only with a word without Chinese
    on PostgreSQL). lookups: {foreign key field: queryset of matching ids}, for names in small related tables
    (the community, the street), which are matched there and not in the big table."""
    like = Q()
    for field in fields:
        like |= Q(**{f"{field}__icontains": word})
    if uses_grams():
        if exact_by_grams(word):
            # no LIKE to confirm: PostgreSQL would estimate its selectivity at next to nothing and, for a word in
            # 60,000 of 700,000 cases, sort all 60,000 instead of walking the list's order index (1.7 s vs 0.1 s)
            like = grams_match(model._meta.db_table, word)
        else:
            like = grams_match(model._meta.db_table, word) & like
    for field in trigram:
        if word.isascii() or not uses_grams():
            like |= Q(**{f"{field}__icontains": word})
    for field, ids in (lookups or {}).items():
        # literal ids, not a subquery: PostgreSQL can only combine an index scan per branch when each is a plain
        # condition on an indexed column
        if found := list(ids.values_list("pk", flat=True)[:500]):
            like |= Q(**{f"{field}__in": found})
    return like
