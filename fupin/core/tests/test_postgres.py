import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: checks its LIKE index")


@pytest.mark.postgres
def test_region_scope_uses_an_index_on_postgresql(db):
    """Scope is `village_code LIKE 'prefix%'`; PostgreSQL needs a pattern-ops index for it to be indexed."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'registry_household'")
        definitions = [row[0] for row in cursor.fetchall()]
    assert any("village_code" in d and "varchar_pattern_ops" in d for d in definitions), definitions
