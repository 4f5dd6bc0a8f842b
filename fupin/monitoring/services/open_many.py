"""Opening cases many at once (a screening run's findings), set-based in one transaction."""

import datetime as dt
import json
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.core.bulk import history_bulk_record
from fupin.core.errors import (
    Conflict,
    FupinError,
)
from fupin.core.idnumbers import resident_id_parse
from fupin.core.importing import keys_table, rows_insert, rows_update
from fupin.core.models import Event
from fupin.monitoring import choices as c
from fupin.monitoring.models import (
    Case,
    CaseStep,
)
from fupin.monitoring.services.cases import _policy_int, case_open
from fupin.policy.selectors import policy_history
from fupin.regions.codes import ancestor_codes
from fupin.regions.models import Region
from fupin.registry.models import Household, Person


# Slots, not frozen: a frozen dataclass costs several times more to make, by the hundred thousand.
@dataclass(slots=True)
class CaseSubject:
    """One household (or declarant) of `cases_open_many`: what `case_open` takes but kind and route.

    The household is named by its id; `village` is where the actor's scope is checked and the
    case's village: the household's own for a household (as `case_open` takes it), the
    declarant's otherwise.
    """

    village: Region
    household_id: int | None = None
    declarant_name: str = ""
    declarant_id_number: str = ""
    household_size: int | None = None
    risk_types: Sequence[str] = ()
    description: str = ""
    findings: dict | None = None


@dataclass(slots=True)
class CaseOpened:
    """What `cases_open_many` did for one subject: `opened`, `joined`, `out_of_scope` or `invalid`."""

    outcome: str
    case_id: int | None = None


@transaction.atomic
def cases_open_many(
    *, kind: str, route: str, subjects: Sequence[CaseSubject], actor=None
) -> list[CaseOpened]:
    """Open or join the case of each subject set-based; return what was done, subject by subject.

    The records are those of one `case_open` per subject, in a number of statements that grows
    with the thousands of subjects, not with each: a new case at `verify` with its field history,
    an `open` step and a `case.opened` event; or the open case of the kind of the household (or
    of the declarant) joined, with its field history, a `join` step and a `case.joined` event. A
    subject whose village is outside the actor's scope is `out_of_scope`; one without a
    household, a name or a valid ID number is `invalid` (`case_open` refuses both). A later
    subject of a household met earlier in the list joins the case the earlier one opened or
    joined, one `case_open` each.
    """
    attempts = 3
    while True:
        attempts -= 1
        try:
            with transaction.atomic():
                return _cases_open_many(kind=kind, route=route, subjects=subjects, actor=actor)
        except IntegrityError as exc:
            # Another route opened one of these cases meanwhile (the one-open-case constraints):
            # the next attempt reads the open cases again and joins it.
            if not attempts:
                raise Conflict("cases_open_busy", _("案件正被同时发起，请稍后重试")) from exc


def _verify_days(villages: set[str], today: dt.date) -> dict[str, int]:
    """Return `monitoring.verify_days` of each village: one policy read per region that sets it."""
    key = "monitoring.verify_days"
    setters = {row.region_id for row in policy_history(key=key) if row.valid_from <= today}
    by_setter: dict[str | None, int] = {}
    days = {}
    for village in villages:
        # The nearest region with a value decides, as `policy_get` resolves it for the village.
        setter = next((code for code in ancestor_codes(village) if code in setters), None)
        if setter not in by_setter:
            by_setter[setter] = _policy_int(key, setter, today)
        days[village] = by_setter[setter]
    return days


def _cases_open_many(*, kind, route, subjects, actor) -> list[CaseOpened]:
    user_id = getattr(actor, "pk", None)
    now = timezone.now()
    today = timezone.localdate()
    opened_on = now.astimezone(timezone.get_current_timezone()).date()
    results: list[CaseOpened | None] = [None] * len(subjects)

    # What `case_open` checks and looks up first: scope, the declarant, the declarant's household.
    allowed: dict[str, bool] = {}
    numbers: dict[int, str] = {}
    for index, subject in enumerate(subjects):
        code = subject.village.code
        if actor is not None:
            if code not in allowed:
                allowed[code] = actor.has_perm("monitoring.add_case", subject.village)
            if not allowed[code]:
                results[index] = CaseOpened("out_of_scope")
                continue
        if subject.household_id is not None:
            continue
        try:
            number = resident_id_parse(subject.declarant_id_number).number
        except FupinError:
            number = ""
        if not subject.declarant_name.strip() or not number:
            results[index] = CaseOpened("invalid")
            continue
        numbers[index] = number
    members = {
        number: (household, village)
        for number, household, village in _by_keys(
            Person.objects.active(),
            "id_number",
            set(numbers.values()),
            ("household_id", "household__village_id"),
        )
    }
    # (index, key, household id, village code, declarant ID number) of each subject to open.
    todo = []
    for index, subject in enumerate(subjects):
        if results[index] is not None:
            continue
        if subject.household_id is not None:
            household = subject.household_id
            village, number = subject.village.code, subject.declarant_id_number
        else:
            number = numbers[index]
            household, village = members.get(number, (None, subject.village.code))
        key = ("household", household) if household is not None else ("declarant", number)
        todo.append((index, key, household, village, number))

    # The open cases to join, locked in the order of their keys.
    joining = ("pk", "stage", "village_id", "routes", "risk_types", "description", "records")
    open_cases = {
        (side, row[0]): dict(zip(joining, row[1:], strict=True))
        for side, scope, lookup, keys in _case_keys(kind, {key for _i, key, *_rest in todo})
        for row in _by_keys(scope.select_for_update().order_by("pk"), lookup, keys, joining)
    }

    days = _verify_days({village for *_rest, village, _number in todo}, today)
    due = {village: opened_on + dt.timedelta(days=n) for village, n in days.items()}
    seen: set[tuple] = set()
    risks: dict[tuple, list[str]] = {}  # each subject's risk types, sorted once per combination
    later: list[int] = []
    created: list[tuple[int, tuple, tuple]] = []  # (index, key, row of CREATED)
    joined: list[tuple[int, dict]] = []
    for index, key, household, village, number in todo:
        subject = subjects[index]
        if key in seen:
            later.append(index)
            continue
        seen.add(key)
        given = tuple(subject.risk_types)
        if given not in risks:
            risks[given] = sorted(set(given))
        risk_types = risks[given]
        case = open_cases.get(key)
        if case is not None:
            case["routes"] = sorted(set(case["routes"]) | {route})
            case["risk_types"] = sorted(set(case["risk_types"]) | set(risk_types))
            if subject.description:
                case["description"] = f"{case['description']}\n{subject.description}".strip()
            if subject.findings:
                case["records"] = {**case["records"], "screening": subject.findings}
            joined.append((index, case))
            continue
        records = {"screening": subject.findings} if subject.findings else {}
        row = (village, household, subject.declarant_name, number, subject.household_size)
        created.append((index, key, (*row, risk_types, subject.description, due[village], records)))

    ids = _cases_insert(kind=kind, route=route, created=created, actor=actor, now=now)
    to_json = _JsonText()
    _cases_update(
        [Case._meta.get_field(name) for name in joining[3:]],
        [
            (
                to_json(case["routes"]),
                to_json(case["risk_types"]),
                case["description"],
                to_json(case["records"]),
                case["pk"],
            )
            for _index, case in joined
        ],
    )
    _history(ids={case["pk"] for _index, case in joined}, history_type="~", actor=actor)
    for index, key, _row in created:
        results[index] = CaseOpened("opened", ids[key])
    for index, case in joined:
        results[index] = CaseOpened("joined", case["pk"])
    # One step and one event per case, as `case_open` writes them; a new case's step notes its
    # description, a joined case's the subject's.
    data = {"route": route}
    step = {"actor_id": user_id, "data": data}
    event = {"actor_id": user_id, "object_type": Case._meta.label_lower}
    about = {"object_id": "CAST(c.id AS varchar(64))", "region_code": "c.village_code"}
    with _cases_among(set(ids.values())) as new:
        _insert_select(
            CaseStep,
            {"case_id": "c.id", "note": "c.description"},
            new,
            now=now,
            fixed={**step, "from_stage": "", "to_stage": c.Stage.VERIFY.value, "decision": "open"},
        )
        _insert_select(
            Event,
            about,
            new,
            now=now,
            fixed={**event, "verb": "case.opened", "data": {"kind": kind, "route": route}},
        )
    with _cases_among({case["pk"] for _index, case in joined}) as old:
        _insert_select(
            Event, about, old, now=now, fixed={**event, "verb": "case.joined", "data": data}
        )
    _model_rows_insert(
        CaseStep,
        ["case_id", "from_stage", "to_stage", "note"],
        (
            (case["pk"], case["stage"], case["stage"], subjects[index].description)
            for index, case in joined
        ),
        now=now,
        fixed={**step, "decision": "join"},
    )

    for index in later:
        subject = subjects[index]
        case, opened = case_open(
            kind=kind,
            route=route,
            village=subject.village,
            actor=actor,
            household=Household.objects.select_related("village").get(pk=subject.household_id)
            if subject.household_id is not None
            else None,
            declarant_name=subject.declarant_name,
            declarant_id_number=subject.declarant_id_number,
            household_size=subject.household_size,
            risk_types=list(subject.risk_types),
            description=subject.description,
            findings=subject.findings,
        )
        results[index] = CaseOpened("opened" if opened else "joined", case.pk)
    return results


# The fields of a new case that differ from case to case, in the order of `created` rows.
CREATED = (
    "village_id",
    "household_id",
    "declarant_name",
    "declarant_id_number",
    "household_size",
    "risk_types",
    "description",
    "due_date",
    "records",
)


def _cases_insert(*, kind: str, route: str, created: list, actor, now) -> dict[tuple, int]:
    """Insert new open cases, write their history; return their ids by key.

    The rows go to a temporary table in one executemany (COPY on PostgreSQL) with only what
    differs from case to case, then into the cases with one INSERT … SELECT: binding the same
    constants a hundred thousand times cost more than the insert itself.
    """
    if not created:
        return {}
    before = Case.objects.aggregate(last=Max("pk"))["last"] or 0
    fields = [Case._meta.get_field(name) for name in CREATED]
    quote = connection.ops.quote_name
    table = f"fupin_new_cases_{secrets.token_hex(6)}"
    with connection.cursor() as cursor:
        types = ", ".join(f"{quote(f.column)} {f.db_type(connection)}" for f in fields)
        cursor.execute(f"CREATE TEMPORARY TABLE {table} (n integer NOT NULL, {types})")
    try:
        _rows_insert_as(
            table,
            fields,
            ((n, *row) for n, (_index, _key, row) in enumerate(created)),
            numbered=True,
        )
        _insert_select(
            Case,
            {f.attname: f"t.{quote(f.column)}" for f in fields},
            f"{table} t ORDER BY t.n",
            now=now,
            fixed={
                "kind": kind,
                "route": route,
                "routes": [route],
                "stage": c.Stage.VERIFY.value,
                "status": c.CaseStatus.OPEN.value,
                "stage_entered_at": now,
            },
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {table}")
    # One open case of a kind per household and per declarant: the keys find the new ids among
    # the rows after the last one (on PostgreSQL also any another transaction added meanwhile,
    # for other households: the constraints keep it from having one of these keys).
    keys = {key for _index, key, _row in created}
    ids = {}
    for pk, household, number in Case.objects.filter(
        pk__gt=before, kind=kind, status=c.CaseStatus.OPEN
    ).values_list("pk", "household_id", "declarant_id_number"):
        key = ("household", household) if household is not None else ("declarant", number)
        if key in keys:
            ids[key] = pk
    _history(ids=set(ids.values()), history_type="+", actor=actor)
    return ids


def _cases_update(fields: list, rows: list[tuple]) -> int:
    """Set the fields of cases from (values written…, id) rows; return how many.

    SQLite takes one executemany of UPDATEs by id; PostgreSQL, which answers each of those in
    turn, gets the rows by COPY into a temporary table and one UPDATE … FROM.
    """
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        return rows_update(Case._meta.db_table, [f.column for f in fields], rows)
    quote = connection.ops.quote_name
    table = f"fupin_case_updates_{secrets.token_hex(6)}"
    columns = [quote(f.column) for f in fields]
    types = ", ".join(f"{c} {f.db_type(connection)}" for c, f in zip(columns, fields, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {table} ({types}, id bigint PRIMARY KEY)")
        try:
            rows_insert(table, [f.column for f in fields] + ["id"], rows)
            cursor.execute(f"ANALYZE {table}")
            cases = quote(Case._meta.db_table)
            cursor.execute(
                f"UPDATE {cases} SET {', '.join(f'{c} = u.{c}' for c in columns)} "
                f"FROM {table} u WHERE {cases}.id = u.id"
            )
            return cursor.rowcount
        finally:
            cursor.execute(f"DROP TABLE {table}")


def _by_keys(queryset, lookup: str, keys: set, fields: tuple) -> list[tuple]:
    """Return (key, *fields) of the queryset's rows whose `lookup` is one of the keys.

    The keys go into a temporary table joined once: a hundred thousand keys in IN lists of a
    few thousand cost Django more to build than the database to answer.
    """
    if not keys:
        return []
    column_type = "bigint" if isinstance(next(iter(keys)), int) else "varchar(64)"
    with keys_table(keys, column_type=column_type) as table:
        return list(queryset.filter(**{f"{lookup}__in": table}).values_list(lookup, *fields))


def _case_keys(kind: str, keys: set[tuple]):
    """Yield (side, open cases of the kind, lookup, keys) for the household and declarant keys."""
    cases = Case.objects.filter(kind=kind, status=c.CaseStatus.OPEN)
    yield "household", cases, "household_id", {k for side, k in keys if side == "household"}
    yield (
        "declarant",
        cases.filter(household__isnull=True),
        "declarant_id_number",
        {k for side, k in keys if side == "declarant"},
    )


@contextmanager
def _cases_among(ids: set[int]) -> Iterator[QuerySet]:
    """Yield the cases of these ids: a range when they have no gap (new rows), else a key table."""
    if not ids:
        yield Case.objects.none()
        return
    low, high = min(ids), max(ids)
    if high - low + 1 == len(ids):
        # Ids without a gap leave room for no other case.
        yield Case.objects.filter(pk__range=(low, high))
        return
    with keys_table(ids, column_type="bigint") as table:
        yield Case.objects.filter(pk__in=table)


def _history(*, ids: set[int], history_type: str, actor) -> None:
    """Write the field history of the cases as they now stand, in one INSERT … SELECT."""
    if ids:
        with _cases_among(ids) as cases:
            history_bulk_record(queryset=cases, history_type=history_type, actor=actor)


class _JsonText:
    """JSON text of values as a JSONField stores them (SQL NULL for None), repeats encoded once.

    The same object given again (a constant step record) and a list equal to one seen before
    (routes, risk types) reuse their text.
    """

    def __init__(self):
        self.last: tuple = (object(), None)
        self.lists: dict[tuple, str] = {}

    def __call__(self, value) -> str | None:
        if value is None:
            return None
        if value is self.last[0]:
            return self.last[1]
        if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
            key = tuple(value)
            if key not in self.lists:
                self.lists[key] = json.dumps(value)
            text = self.lists[key]
        else:
            text = json.dumps(value)
        self.last = (value, text)
        return text


def _written(field, to_json: "_JsonText"):
    """Return how a field's values are written in a plain row (None: as they are)."""
    if field.get_internal_type() == "JSONField":
        return to_json
    if field.get_internal_type() not in ("DateField", "DateTimeField", "UUIDField"):
        return None
    prepared: dict = {}

    def prepare(value):
        # Dates, times and ids repeat: each distinct one is prepared once.
        if value not in prepared:
            prepared[value] = field.get_db_prep_save(value, connection)
        return prepared[value]

    return prepare


def _the_others(model, names, *, now, fixed: dict | None) -> list[tuple]:
    """Return (field, value written) of every field of the model not in `names`.

    `fixed` gives some; the others take their default once for all the rows (one operation,
    one clock), and `auto_now_add` and `auto_now` fields the time `now`, as `bulk_create` writes.
    """
    fixed = fixed or {}
    to_json = _JsonText()
    others = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in names:
            continue
        stamped = getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False)
        if field.attname in fixed:
            value = fixed[field.attname]
        else:
            value = now if stamped else field.get_default()
        to = _written(field, to_json)
        others.append((field, value if to is None else to(value)))
    return others


def _rows_insert_as(
    table: str, fields: list, rows, *, numbered: bool = False, others: tuple = ()
) -> int:
    """Insert plain rows of the fields' values into a table, each written as its field writes it.

    A numbered row starts with its number (column `n`); `others` are (field, value written) put
    at the end of every row.
    """
    to_json = _JsonText()
    offset = 1 if numbered else 0
    converts = [(i + offset, to) for i, f in enumerate(fields) if (to := _written(f, to_json))]
    constants = tuple(value for _field, value in others)

    def prepared_rows():
        for row in rows:
            if converts:
                row = list(row)
                for position, to in converts:
                    row[position] = to(row[position])
            yield (*row, *constants)

    columns = (["n"] if numbered else []) + [f.column for f in fields]
    return rows_insert(table, columns + [f.column for f, _value in others], prepared_rows())


def _model_rows_insert(model, names: list[str], rows, *, now, fixed: dict | None = None) -> int:
    """Insert plain rows of a model in one executemany (COPY on PostgreSQL); return how many.

    Each row gives the fields `names` (attnames) in order, each written as the field writes it;
    the other fields are `fixed` or their defaults (`_the_others`).
    """
    fields = {f.attname: f for f in model._meta.concrete_fields}
    return _rows_insert_as(
        model._meta.db_table,
        [fields[name] for name in names],
        rows,
        others=_the_others(model, names, now=now, fixed=fixed),
    )


def _insert_select(model, expressions: dict[str, str], source, *, now, fixed=None) -> int:
    """Insert rows of a model from one SELECT; return how many.

    `expressions` gives SQL for some fields (attname: expression); the other fields are `fixed`
    or their defaults (`_the_others`), bound once. `source` is a queryset of cases (read as `c`)
    or the SQL after FROM.
    """
    quote = connection.ops.quote_name
    params: list = []
    if isinstance(source, QuerySet):
        if source.query.is_empty():
            return 0
        ids, params = source.values("pk").query.sql_with_params()
        source = f"{quote(Case._meta.db_table)} c WHERE c.id IN ({ids})"
    fields = {f.attname: f for f in model._meta.concrete_fields}
    others = _the_others(model, list(expressions), now=now, fixed=fixed)
    # PostgreSQL reads a bare parameter of a select list as text: each says its type.
    typed = connection.vendor == "postgresql"
    constants = [
        f"CAST(%s AS {field.db_type(connection)})" if typed else "%s" for field, _value in others
    ]
    columns = [fields[name].column for name in expressions] + [f.column for f, _v in others]
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"SELECT {', '.join([*expressions.values(), *constants])} FROM {source}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(value for _field, value in others), *params])
        return cursor.rowcount
