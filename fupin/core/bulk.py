"""Set-based history: field history rows for many records in one INSERT … SELECT."""

from django.db import connection
from django.db.models import Max, QuerySet
from django.utils import timezone

from fupin.core.services import HISTORY_REASON_LENGTH


def history_bulk_record(
    *, queryset: QuerySet, history_type: str, actor=None, reason: str = ""
) -> int:
    """Write one django-simple-history row per record of the queryset, as it now stands.

    `history_type` is "+" (created), "~" (changed) or "-" (deleted), as simple-history records it;
    the reason is cut to the history's column, as `core.services.history_attribute` does.
    Returns the number of rows written.
    """
    model = queryset.model
    history_model = model.history.model
    # Fields the history leaves out (`excluded_fields`) have no column there.
    kept = {f.name for f in history_model._meta.concrete_fields}
    columns = [f.column for f in model._meta.concrete_fields if f.name in kept]
    pk_sql, pk_params = queryset.values("pk").query.sql_with_params()
    quote = connection.ops.quote_name
    column_list = ", ".join(quote(c) for c in columns)
    sql = (
        f"INSERT INTO {quote(history_model._meta.db_table)} ({column_list}, history_date, "
        f"history_change_reason, history_type, history_user_id) "
        f"SELECT {column_list}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} IN ({pk_sql})"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                timezone.now(),
                reason[:HISTORY_REASON_LENGTH] or None,
                history_type,
                getattr(actor, "pk", None),
                *pk_params,
            ],
        )
        return cursor.rowcount


def last_pk(model) -> int:
    """Return the table's highest primary key (0 when empty): rows written after it are new."""
    return model.objects.aggregate(last=Max("pk"))["last"] or 0
