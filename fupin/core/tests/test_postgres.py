import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: checks its LIKE index"
)


@pytest.mark.postgres
def test_region_scope_uses_an_index_on_postgresql(db):
    """Scope is `village_code LIKE 'prefix%'`; PostgreSQL needs a pattern-ops index for it to be indexed."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'registry_household'")
        definitions = [row[0] for row in cursor.fetchall()]
    assert any("village_code" in d and "varchar_pattern_ops" in d for d in definitions), definitions


@pytest.mark.postgres
def test_an_import_holds_its_lock_until_the_transaction_ends(db):
    """A second import of the same kind waits instead of failing on a unique index."""
    import psycopg

    from fupin.core.importing import import_lock

    import_lock("households")
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    with psycopg.connect(**params, autocommit=True) as other:
        taken = other.execute(
            "SELECT pg_try_advisory_lock(hashtext('fupin.import.households'))"
        ).fetchone()[0]
        free = other.execute(
            "SELECT pg_try_advisory_lock(hashtext('fupin.import.incomes'))"
        ).fetchone()[0]
    assert (taken, free) == (False, True)
