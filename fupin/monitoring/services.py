"""Writes of monitoring: opening, joining and advancing cases, objections, and self-declarations."""

import datetime as dt
import json
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.accounts.choices import Role
from fupin.assistance.selectors import measure_count
from fupin.assistance.services import plan_require
from fupin.core.bulk import history_bulk_record
from fupin.core.errors import (
    Conflict,
    Forbidden,
    FupinError,
    InvalidInput,
    NotFound,
    RateLimited,
    Refused,
)
from fupin.core.idnumbers import resident_id_parse
from fupin.core.importing import keys_table, rows_insert, rows_update
from fupin.core.models import Event
from fupin.core.services import event_record, history_attribute
from fupin.core.states import decision_target, role_of, transition_check
from fupin.core.uploads import DOCUMENTS, IMAGES, upload_checked
from fupin.monitoring import choices as c
from fupin.monitoring.models import (
    Attachment,
    Case,
    CaseStep,
    Declaration,
    Objection,
    TrackingMiss,
)
from fupin.monitoring.selectors import declaration_by_tracking_code
from fupin.monitoring.tracking import tracking_code_new
from fupin.pairing.services import pairing_allocate
from fupin.policy.selectors import policy_get, policy_history
from fupin.regions.choices import Level
from fupin.regions.codes import ancestor_codes
from fupin.regions.models import Region
from fupin.registry import choices as rc
from fupin.registry.models import Household, Person
from fupin.registry.selectors import household_incomes
from fupin.registry.services import (
    Member,
    household_from_case,
    household_mark_undo,
    household_risk_check,
    household_standing,
)

WORKING_LABOR = (rc.LaborAbility.SKILLED, rc.LaborAbility.ORDINARY, rc.LaborAbility.WEAK)


def _policy_int(key: str, village_code: str, on: dt.date) -> int:
    return int(policy_get(key, region_code=village_code, on=on))


def _due_date(case: Case, today: dt.date) -> dt.date:
    """Return the due date of the case's current stage: the home check first, then the decision."""
    if case.stage == c.Stage.VERIFY:
        return case.opened_at.astimezone(timezone.get_current_timezone()).date() + dt.timedelta(
            days=_policy_int("monitoring.verify_days", case.village_id, today)
        )
    return (case.verified_on or today) + dt.timedelta(
        days=_policy_int("monitoring.decide_days", case.village_id, today)
    )


def _open_case_for(*, kind: str, household: Household | None, id_number: str) -> Case | None:
    cases = Case.objects.select_for_update().filter(kind=kind, status=c.CaseStatus.OPEN)
    if household is not None:
        return cases.filter(household=household).first()
    return (
        cases.filter(household__isnull=True, declarant_id_number=id_number).first()
        if id_number
        else None
    )


@transaction.atomic
def case_open(
    *,
    kind: str,
    route: str,
    village: Region,
    actor=None,
    household: Household | None = None,
    declarant_name: str = "",
    declarant_id_number: str = "",
    declarant_phone: str = "",
    household_size: int | None = None,
    risk_types: list[str] | None = None,
    description: str = "",
    findings: dict | None = None,
) -> tuple[Case, bool]:
    """Open a case at `verify`, or join the household's open case of the same kind; return (case, opened).

    `findings` is what department data says (the screening route); it pre-fills the comparison.
    """
    if actor is not None and not actor.has_perm("monitoring.add_case", village):
        raise NotFound("region", {"code": village.code})
    if household is None:
        # The county's pass creates the household from these: without them the case could never end.
        errors: dict[str, str] = {}
        codes: dict[str, str] = {}
        if not declarant_name.strip():
            errors["name"], codes["name"] = _("请填写姓名"), "required"
        try:
            declarant_id_number = resident_id_parse(declarant_id_number).number
        except FupinError as exc:
            errors["id_number"], codes["id_number"] = str(exc.message), exc.code
        if errors:
            raise InvalidInput(errors, codes)
    if household is None and declarant_id_number:
        person = (
            Person.objects.active()
            .select_related("household")
            .filter(id_number=declarant_id_number)
            .first()
        )
        household = person.household if person else None
    if household is not None:
        village = household.village
    risk_types = sorted(set(risk_types or []))
    today = timezone.localdate()
    case = _open_case_for(kind=kind, household=household, id_number=declarant_id_number)
    if case is not None:
        case.routes = sorted(set(case.routes) | {route})
        case.risk_types = sorted(set(case.risk_types) | set(risk_types))
        if description:
            case.description = f"{case.description}\n{description}".strip()
        if findings:
            case.records = {**case.records, "screening": findings}
        history_attribute(case, actor)
        case.save()
        CaseStep.objects.create(
            case=case,
            actor=actor if getattr(actor, "pk", None) else None,
            from_stage=case.stage,
            to_stage=case.stage,
            decision="join",
            note=description,
            data={"route": route},
        )
        event_record(actor=actor, verb="case.joined", obj=case, data={"route": route})
        return case, False
    case = Case(
        kind=kind,
        route=route,
        routes=[route],
        village=village,
        household=household,
        declarant_name=declarant_name,
        declarant_id_number=declarant_id_number,
        declarant_phone=declarant_phone,
        household_size=household_size,
        risk_types=risk_types,
        description=description,
        stage_entered_at=timezone.now(),
        records={"screening": findings} if findings else {},
    )
    case.opened_at = timezone.now()
    case.due_date = _due_date(case, today)
    history_attribute(case, actor)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        # Another route opened the same household's case a moment ago: join it instead.
        return case_open(
            kind=kind,
            route=route,
            village=village,
            actor=actor,
            household=household,
            declarant_name=declarant_name,
            declarant_id_number=declarant_id_number,
            declarant_phone=declarant_phone,
            household_size=household_size,
            risk_types=risk_types,
            description=description,
            findings=findings,
        )
    CaseStep.objects.create(
        case=case,
        actor=actor if getattr(actor, "pk", None) else None,
        from_stage="",
        to_stage=c.Stage.VERIFY,
        decision="open",
        note=description,
        data={"route": route},
    )
    event_record(actor=actor, verb="case.opened", obj=case, data={"kind": kind, "route": route})
    return case, True


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


@transaction.atomic
def exit_case_open(*, household: Household, actor, reason: str, note: str = "") -> Case:
    """Open an exit (risk elimination) case for a household at `verify`."""
    if not actor.has_perm("monitoring.add_case", household):
        raise NotFound("household", {"household_no": household.household_no})
    if reason not in c.ExitReason.values:
        raise InvalidInput({"reason": _("退出原因无效")})
    if household.removal_reason:
        raise Conflict("household_removed", _("该户已清退，不能发起退出"))
    if reason == c.ExitReason.WRONG_IDENTIFICATION and not household.monitoring_type:
        raise Refused("not_monitored", _("该户没有监测标识，无需撤销；不应建档的农户请选择清退"))
    if _open_case_for(kind=c.CaseKind.EXIT, household=household, id_number="") is not None:
        raise Conflict("case_already_open", _("该户已有办理中的退出案件"))
    case, _opened = case_open(
        kind=c.CaseKind.EXIT,
        route=c.Route.CADRE,
        village=household.village,
        actor=actor,
        household=household,
        description=note,
    )
    case.exit_reason = reason
    case.save(update_fields=["exit_reason"])
    return case


# Stage records ----------------------------------------------------------------------------------


def _text(data: dict, key: str, errors: dict, *, required: bool = True) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        errors[key] = _("应为文字")
        return ""
    value = value.strip()
    if required and not value:
        errors[key] = _("必填项不能为空")
    return value


def _count(data: dict, key: str, errors: dict) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        errors[key] = _("应为不小于 0 的整数")
        return 0
    return value


def _record_verify(case: Case, data: dict, errors: dict) -> dict:
    verifiers = data.get("verifiers")
    names = (
        [v.strip() for v in verifiers if isinstance(v, str) and v.strip()]
        if isinstance(verifiers, list)
        else []
    )
    if len(set(names)) < 2:
        errors["verifiers"] = _("入户核查至少需要两名核查人")
    findings = _text(data, "findings", errors)
    if data.get("commitment_signed") is not True:
        errors["commitment_signed"] = _("农户须签署承诺授权书")
    record = {"verifiers": names, "findings": findings, "commitment_signed": True}
    for optional in ("members", "income"):
        if optional in data:
            record[optional] = data[optional]
    return record


def _record_compare(case: Case, data: dict, errors: dict) -> dict:
    screening = case.records.get("screening")
    findings = _text(data, "findings", errors, required=screening is None)
    return {"findings": findings or _("部门数据比对结果见筛查记录"), "screening": screening}


def _record_appraise(case: Case, data: dict, errors: dict) -> dict:
    try:
        held_on = dt.date.fromisoformat(str(data.get("date", "")))
    except ValueError:
        errors["date"] = _("日期格式应为 YYYY-MM-DD")
        held_on = None
    if held_on and held_on > timezone.localdate():
        errors["date"] = _("评议日期不能晚于今天")
    representatives = _count(data, "representatives", errors)
    votes_for, votes_against = (
        _count(data, "votes_for", errors),
        _count(data, "votes_against", errors),
    )
    if representatives and votes_for + votes_against > representatives:
        errors["votes_for"] = _("赞成票与反对票之和不能多于参会代表人数")
    if not errors.get("votes_for") and votes_for <= votes_against:
        errors["votes_for"] = _("赞成票须多于反对票方可通过")
    minutes = _text(data, "minutes", errors)
    return {
        "date": held_on.isoformat() if held_on else "",
        "representatives": representatives,
        "votes_for": votes_for,
        "votes_against": votes_against,
        "minutes": minutes,
    }


def _record_notice(case: Case, data: dict, errors: dict) -> dict:
    today = timezone.localdate()
    days = _policy_int("monitoring.notice_days", case.village_id, today)
    ends = case.notice_started_on + dt.timedelta(days=days)
    if today < ends:
        raise Refused(
            "notice_not_elapsed",
            _("公示期未满 %(days)s 天，%(date)s 起方可通过")
            % {"days": days, "date": ends.isoformat()},
            {
                "notice_started_on": case.notice_started_on.isoformat(),
                "notice_days": days,
                "earliest": ends.isoformat(),
            },
        )
    unanswered = case.objections.filter(answered_at__isnull=True).count()
    if unanswered:
        raise Refused(
            "objection_unanswered",
            _("还有 %(n)s 条公示异议未答复") % {"n": unanswered},
            {"unanswered": unanswered},
        )
    return {
        "started_on": case.notice_started_on.isoformat(),
        "ended_on": today.isoformat(),
        "objections": case.objections.count(),
    }


def _record_town_review(case: Case, data: dict, errors: dict) -> dict:
    return {"opinion": _text(data, "opinion", errors)}


def _record_county_decide(case: Case, data: dict, errors: dict) -> dict:
    if case.kind == c.CaseKind.EXIT:
        reason = data.get("exit_reason") or case.exit_reason
        if reason not in c.ExitReason.values:
            errors["exit_reason"] = _("退出原因无效")
        return {"exit_reason": reason}
    monitoring_type = data.get("monitoring_type")
    if monitoring_type not in rc.MonitoringType.values:
        errors["monitoring_type"] = _("监测类型无效")
    risk_types = data.get("risk_types")
    if (
        not isinstance(risk_types, list)
        or not risk_types
        or not set(risk_types) <= set(rc.RiskType.values)
    ):
        errors["risk_types"] = _("请选择至少一项有效的风险类型")
        risk_types = []
    return {"monitoring_type": monitoring_type, "risk_types": sorted(set(risk_types))}


STAGE_RECORDS = {
    c.Stage.VERIFY: _record_verify,
    c.Stage.COMPARE: _record_compare,
    c.Stage.APPRAISE: _record_appraise,
    c.Stage.NOTICE: _record_notice,
    c.Stage.TOWN_REVIEW: _record_town_review,
    c.Stage.COUNTY_DECIDE: _record_county_decide,
}


# Decisions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExitCondition:
    """An exit condition (docs/domain.md "Exit conditions") and whether the household meets it."""

    code: str
    message: str
    met: bool


def exit_conditions(*, household: Household, on: dt.date) -> list[ExitCondition]:
    """Return the conditions a household must meet to leave monitoring because its risk is gone."""
    code = household.village_id
    months = _policy_int("monitoring.exit_min_months", code, on)
    since = household.monitored_on
    monitored_months = (
        (on.year - since.year) * 12 + on.month - since.month - (on.day < since.day) if since else 0
    )
    incomes = household_incomes(household=household)
    latest = incomes[-1] if incomes else None
    threshold = (
        Decimal(
            policy_get(
                "monitoring.income_threshold",
                region_code=code,
                on=dt.date(latest.income.year, 12, 31),
            )
        )
        if latest and latest.per_capita is not None
        else None
    )
    working = household.members.active().filter(labor_ability__in=WORKING_LABOR).exists()
    return [
        ExitCondition(
            "monitored_too_short",
            _("纳入监测未满 %(months)s 个月") % {"months": months},
            since is not None and monitored_months >= months,
        ),
        ExitCondition(
            "income_not_stable",
            _("最近年度人均纯收入未达到监测收入标准"),
            threshold is not None and latest.per_capita >= threshold,
        ),
        ExitCondition(
            "no_assistance_measure",
            _("尚未落实任何帮扶措施"),
            measure_count(household=household) > 0,
        ),
        ExitCondition(
            "no_labor_ability", _("家庭无劳动能力，应继续监测并落实兜底保障措施"), working
        ),
    ]


def _include(case: Case, record: dict, actor, today: dt.date) -> None:
    # Kept so that a wrong mark can be undone (标识错误); a household made here had no standing.
    case.standing_before = household_standing(case.household) if case.household_id else None
    household = case.household or _household_from_declarant(case, actor)
    household.monitoring_type = record["monitoring_type"]
    household.risk_types = record["risk_types"]
    household_risk_check(household=household, to=rc.RiskState.OPEN, actor=actor)
    household.risk_state = rc.RiskState.OPEN
    household.monitored_on = today
    household.risk_eliminated_on = None
    history_attribute(household, actor, _("监测识别案件 #%(id)s 县级审定纳入") % {"id": case.pk})
    household.save()
    case.household = household
    case.plan_due_date = today + dt.timedelta(
        days=_policy_int("monitoring.plan_days", household.village_id, today)
    )
    plan_require(household=household, due_date=case.plan_due_date, actor=actor)
    # A newly monitored household gets a cadre at once (no one has to press a button for it).
    pairing_allocate(region_code=_county_of(household), households=[household.pk], actor=actor)
    event_record(
        actor=actor,
        verb="household.monitoring_included",
        obj=household,
        data={
            "case": case.pk,
            "monitoring_type": household.monitoring_type,
            "risk_types": household.risk_types,
            "plan_due_date": case.plan_due_date.isoformat(),
        },
    )


def _county_of(household: Household) -> str:
    """Return the code of the county (县级) of the household's village."""
    return household.village_id[:6] + "000000"


def _household_from_declarant(case: Case, actor) -> Household:
    """Create the household of a declarant not yet in the registry, the declarant as its head."""
    head = Member(
        id_number=case.declarant_id_number,
        name=case.declarant_name,
        relation=rc.Relation.HEAD,
        phone=case.declarant_phone,
    )
    return household_from_case(
        case_id=case.pk, village_code=case.village_id, members=[head], actor=actor
    )


def _inclusion_of(household: Household) -> Case | None:
    """Return the county's latest inclusion of the household (the mark an undoing takes off)."""
    return (
        household.monitoring_cases.filter(
            kind=c.CaseKind.IDENTIFICATION, status=c.CaseStatus.APPROVED
        )
        .order_by("-decided_at", "-pk")
        .first()
    )


def _standing_before(household: Household, inclusion: Case | None) -> dict | None:
    """Return the household's standing before its mark: kept by the inclusion, else its history.

    None (no mark at all) when the mark came by import or the inclusion created the household.
    """
    if inclusion is None:
        return None
    if inclusion.standing_before is not None or inclusion.decided_at is None:
        return inclusion.standing_before
    # An inclusion decided before standings were kept: the field history has the row before it.
    row = (
        household.history.filter(history_date__lt=inclusion.decided_at)
        .order_by("-history_date")
        .first()
    )
    return household_standing(row) if row is not None else None


def _exit(case: Case, record: dict, actor, today: dt.date) -> None:
    household = case.household
    reason = record["exit_reason"]
    if reason in (c.ExitReason.RISK_ELIMINATED, c.ExitReason.INCOME_STABLE):
        unmet = [cond for cond in exit_conditions(household=household, on=today) if not cond.met]
        if unmet:
            raise Refused(
                "exit_condition_unmet",
                _("不符合退出条件：%(conditions)s")
                % {"conditions": "；".join(cond.message for cond in unmet)},
                {"condition": unmet[0].code, "conditions": [cond.code for cond in unmet]},
            )
        household_risk_check(household=household, to=rc.RiskState.ELIMINATED, actor=actor)
        household.risk_state = rc.RiskState.ELIMINATED
        household.risk_eliminated_on = today
    if reason == c.ExitReason.WRONG_IDENTIFICATION:
        inclusion = _inclusion_of(household)
        household_mark_undo(
            household=household,
            standing=_standing_before(household, inclusion),
            actor=actor,
            reason=_("退出案件 #%(id)s 县级审定：标识错误，撤销监测标识") % {"id": case.pk},
            data={"case": case.pk, "inclusion": inclusion.pk if inclusion else None},
        )
    else:
        if reason in c.REMOVAL_BY_EXIT_REASON:
            household.removal_reason = c.REMOVAL_BY_EXIT_REASON[reason]
            household.removed_on = today
        history_attribute(household, actor, _("退出案件 #%(id)s 县级审定") % {"id": case.pk})
        household.save()
    # The cadre's place is freed when the household no longer needs one.
    pairing_allocate(region_code=_county_of(household), households=[household.pk], actor=actor)
    case.exit_reason = reason
    event_record(
        actor=actor,
        verb="household.monitoring_exited",
        obj=household,
        data={"case": case.pk, "exit_reason": reason},
    )


def _stale(case: Case, *, seen_version: int | None, seen_stage: str) -> FupinError:
    """Return the conflict of a decision made on a page the case has moved on from."""
    now = (
        _("该案件已由他人办理，当前环节为“%(stage)s”，请核对后再办理")
        % {"stage": c.Stage(case.stage).label}
        if case.status == c.CaseStatus.OPEN
        else _("该案件已由他人办结")
    )
    return Conflict(
        "stale_stage",
        now,
        {
            "stage": case.stage,
            "version": case.version,
            "seen_stage": seen_stage,
            "seen_version": seen_version,
        },
    )


@transaction.atomic
def case_advance(
    *,
    case_id: int,
    actor,
    decision: str,
    seen_version: int | None = None,
    seen_stage: str = "",
    note: str = "",
    data: dict | None = None,
) -> Case:
    """Record the actor's decision on the case as they saw it: pass, return one stage, or reject.

    `seen_version` is the case's version on the actor's page (every move adds one), so a page
    loaded before a move is refused even when a return has brought the case back to the same
    stage. `seen_stage` alone is the older, weaker check, kept for callers that only know the stage.
    """
    if seen_version is None and not seen_stage:
        raise InvalidInput({"version": _("缺少页面所见的案件版本，请刷新后再办理")})
    case = Case.objects.select_for_update().get_restricted(actor, "advance", pk=case_id)
    if (
        case.status != c.CaseStatus.OPEN
        or (seen_version is not None and case.version != seen_version)
        or (seen_stage and case.stage != seen_stage)
    ):
        raise _stale(case, seen_version=seen_version, seen_stage=seen_stage)
    owner = c.STAGE_ROLE[c.Stage(case.stage)]
    if actor.role != owner:
        raise Refused(
            "wrong_role",
            _("“%(stage)s”环节应由%(role)s办理")
            % {"stage": c.Stage(case.stage).label, "role": owner.label},
            {"stage": case.stage, "role": owner.value},
        )
    target = decision_target(c.DECISIONS, case.stage, decision)
    transition_check(c.TRANSITIONS, case.stage, target, role=role_of(actor))
    today, now = timezone.localdate(), timezone.now()
    record: dict = {}
    if decision == c.Decision.REJECT and not note.strip():
        raise InvalidInput({"note": _("不予通过须说明原因")})
    if decision == c.Decision.PASS:
        errors: dict[str, str] = {}
        record = STAGE_RECORDS[c.Stage(case.stage)](case, data or {}, errors)
        if errors:
            raise InvalidInput(errors)
        case.records = {**case.records, case.stage: record}
        if case.stage == c.Stage.VERIFY:
            case.verified_on = today
        if case.stage == c.Stage.COUNTY_DECIDE:
            (_include if case.kind == c.CaseKind.IDENTIFICATION else _exit)(
                case, record, actor, today
            )
    from_stage = case.stage
    case.stage = target
    case.stage_entered_at = now
    if target == c.Stage.NOTICE:
        case.notice_started_on = today
    if target == c.Stage.CLOSED:
        closed = c.CLOSED_BY[c.Decision(decision)]
        transition_check(c.STATUS_TRANSITIONS, case.status, closed, role=role_of(actor))
        case.status = closed
        case.reject_reason = note.strip() if decision == c.Decision.REJECT else ""
        case.decided_at = now
        case.days_to_decision = (
            today - case.opened_at.astimezone(timezone.get_current_timezone()).date()
        ).days
        case.due_date = None
    else:
        case.due_date = _due_date(case, today)
    # The row lock serialises PostgreSQL; the version check also catches a lost race on SQLite.
    updated = Case.objects.filter(pk=case.pk, version=case.version).update(version=F("version") + 1)
    if not updated:
        raise _stale(Case.objects.get(pk=case.pk), seen_version=seen_version, seen_stage=seen_stage)
    case.version += 1
    # The field history keeps the note's first 100 characters; the step and the event keep it whole.
    history_attribute(case, actor, note)
    case.save()
    CaseStep.objects.create(
        case=case,
        actor=actor,
        from_stage=from_stage,
        to_stage=target,
        decision=decision,
        note=note,
        data=record,
    )
    event_record(
        actor=actor,
        verb=f"case.{decision}",
        obj=case,
        reason=note,
        data={"from": from_stage, "to": target},
    )
    return case


# Objections --------------------------------------------------------------------------------------


# What the public objection page and the API accept at most (the officer's own form allows more).
OBJECTION_MAX_CHARS = 500


@transaction.atomic
def objection_lodge(
    *,
    case_id: int,
    text: str,
    name: str = "",
    contact: str = "",
    idempotency_key: str = "",
    client_address: str | None = None,
) -> Objection:
    """Lodge an objection to a case during its public notice (anyone may).

    With a key (the public page's form, an API client) the same key returns the objection it
    made; with an address (a resident online) the text is capped and the number per hour limited.
    """
    key = (idempotency_key or "").strip()
    if len(key) > 100:
        raise Refused("idempotency_key_required", _("Idempotency-Key 应为 1 至 100 个字符"))
    if key:
        existing = Objection.objects.filter(idempotency_key=key).first()
        if existing is not None:
            if existing.case_id != case_id or existing.text != (text or "").strip():
                raise Conflict("idempotency_key_reused", _("该 Idempotency-Key 已用于其他异议"))
            return existing
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None:
        raise NotFound("case", {"id": case_id})
    if case.stage != c.Stage.NOTICE or case.status != c.CaseStatus.OPEN:
        raise Conflict("not_in_notice", _("该案件不在公示期，不能提出异议"))
    text = (text or "").strip()
    if not text:
        raise InvalidInput({"text": _("请填写异议内容")})
    online = client_address is not None or bool(key)
    if online and len(text) > OBJECTION_MAX_CHARS:
        raise InvalidInput({"text": _("异议内容不能超过 %(n)s 个字") % {"n": OBJECTION_MAX_CHARS}})
    if client_address:
        limit = _policy_int("monitoring.objections_per_hour", case.village_id, timezone.localdate())
        recent = Objection.objects.filter(
            client_address=client_address, lodged_at__gte=timezone.now() - dt.timedelta(hours=1)
        ).count()
        if recent >= limit:
            raise RateLimited("too_many_objections", _("提交过于频繁，请稍后再试"))
    try:
        with transaction.atomic():
            objection = Objection.objects.create(
                case=case,
                text=text,
                name=(name or "").strip()[:50],
                contact=(contact or "").strip()[:50],
                idempotency_key=key,
                client_address=client_address or None,
            )
    except IntegrityError:
        # The same form arrived twice at once: the first one stands.
        raise Conflict("duplicate_submission", _("该异议正在提交，请稍后刷新")) from None
    event_record(
        actor=None, verb="case.objection_lodged", obj=case, data={"objection": objection.pk}
    )
    return objection


@transaction.atomic
def objection_answer(*, objection: Objection, actor, answer: str) -> Objection:
    """Record the village's answer to an objection."""
    if actor.role != Role.VILLAGE_OFFICER or not actor.has_perm(
        "monitoring.advance_case", objection.case
    ):
        raise Forbidden(_("公示异议由村级扶贫专干答复"))
    if not (answer or "").strip():
        raise InvalidInput({"answer": _("请填写答复内容")})
    objection.answer, objection.answered_at, objection.answered_by = (
        answer.strip(),
        timezone.now(),
        actor,
    )
    objection.save()
    event_record(
        actor=actor,
        verb="case.objection_answered",
        obj=objection.case,
        data={"objection": objection.pk},
    )
    return objection


# Self-declaration --------------------------------------------------------------------------------


def _same_declaration(existing: Declaration, **payload) -> bool:
    """Tell whether a payload is the one the declaration was made from (a retry, not a reuse)."""
    try:
        id_number = resident_id_parse(payload["id_number"]).number
    except FupinError:
        return False
    return (
        (payload["name"] or "").strip(),
        id_number,
        (payload["phone"] or "").strip(),
        payload["village_code"],
        payload["household_size"],
        sorted(set(payload["risk_types"] or []))
        if isinstance(payload["risk_types"], list)
        else None,
        payload["description"] or "",
    ) == (
        existing.name,
        existing.id_number,
        existing.phone,
        existing.village_id,
        existing.household_size,
        existing.risk_types,
        existing.description,
    )


def _unused_tracking_code() -> str:
    """Return a new tracking code no declaration has (a clash is rare: 31^8 codes)."""
    while True:
        code = tracking_code_new()
        if not Declaration.objects.filter(tracking_code=code).exists():
            return code


def declaration_track(*, tracking_code: str, client_address: str | None) -> Declaration:
    """Return the declaration of a tracking code, refusing an address that missed too often.

    A miss is recorded (in its own transaction, so that the NotFound raised after it keeps it).
    """
    if client_address:
        limit = _policy_int("monitoring.tracking_misses_per_hour", None, timezone.localdate())
        misses = TrackingMiss.objects.filter(
            client_address=client_address, at__gte=timezone.now() - dt.timedelta(hours=1)
        ).count()
        if misses >= limit:
            raise RateLimited(
                "too_many_lookups", _("查询次数过多，请一小时后再试"), {"limit": limit}
            )
    try:
        return declaration_by_tracking_code(tracking_code=tracking_code)
    except NotFound:
        if client_address:
            with transaction.atomic():
                TrackingMiss.objects.create(client_address=client_address)
        raise


@transaction.atomic
def declaration_submit(
    *,
    idempotency_key: str,
    name: str,
    id_number: str,
    phone: str,
    village_code: str,
    household_size: int,
    risk_types: list[str],
    description: str = "",
    client_address: str | None = None,
) -> tuple[Declaration, bool]:
    """Take a resident's declaration once per key; open or join the case; return (declaration, created)."""
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:
        raise Refused("idempotency_key_required", _("缺少 Idempotency-Key（1 至 100 个字符）"))
    existing = Declaration.objects.select_related("case").filter(idempotency_key=key).first()
    if existing is not None:
        if not _same_declaration(
            existing,
            name=name,
            id_number=id_number,
            phone=phone,
            village_code=village_code,
            household_size=household_size,
            risk_types=risk_types,
            description=description,
        ):
            raise Conflict("idempotency_key_reused", _("该 Idempotency-Key 已用于其他申报"))
        return existing, False
    errors: dict[str, str] = {}
    codes: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"], codes["name"] = _("请填写姓名"), "required"
    try:
        person = resident_id_parse(id_number)
    except FupinError as exc:
        errors["id_number"], codes["id_number"] = str(exc.message), exc.code
        person = None
    phone = (phone or "").strip()
    if not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
        errors["phone"] = _("请填写以 1 开头的 11 位手机号码")
    village = Region.objects.filter(code=village_code, level=Level.VILLAGE).first()
    if village is None:
        errors["village_code"] = _("请选择所在的村")
    if (
        isinstance(household_size, bool)
        or not isinstance(household_size, int)
        or not 1 <= household_size <= 30
    ):
        errors["household_size"] = _("家庭人口数应为 1 至 30 的整数")
    if (
        not isinstance(risk_types, list)
        or not risk_types
        or not set(risk_types) <= set(rc.RiskType.values)
    ):
        errors["risk_types"] = _("请选择至少一项困难类型")
    if errors:
        raise InvalidInput(errors, codes)
    if client_address:
        limit = _policy_int("monitoring.declarations_per_hour", village.code, timezone.localdate())
        recent = Declaration.objects.filter(
            client_address=client_address, created_at__gte=timezone.now() - dt.timedelta(hours=1)
        ).count()
        if recent >= limit:
            raise RateLimited("too_many_declarations", _("提交过于频繁，请稍后再试"))
    case, _opened = case_open(
        kind=c.CaseKind.IDENTIFICATION,
        route=c.Route.DECLARATION,
        village=village,
        declarant_name=name,
        declarant_id_number=person.number,
        declarant_phone=phone,
        household_size=household_size,
        risk_types=risk_types,
        description=description,
    )
    try:
        with transaction.atomic():
            declaration = Declaration.objects.create(
                case=case,
                tracking_code=_unused_tracking_code(),
                idempotency_key=key,
                name=name,
                id_number=person.number,
                phone=phone,
                village=village,
                household_size=household_size,
                risk_types=sorted(set(risk_types)),
                description=description,
                client_address=client_address,
            )
    except IntegrityError:
        # The same key arrived twice at once (a phone retrying): the first one stands.
        raise Conflict("duplicate_submission", _("该申报正在提交，请稍后查询")) from None
    return declaration, True


# Attachments -------------------------------------------------------------------------------------


def _attachment_create(*, case: Case, kind: str, upload, actor=None, **extra) -> Attachment:
    """Check the file by its first bytes and keep it with the case under a random name."""
    if kind not in Attachment.Kind.values:
        raise InvalidInput({"kind": _("附件类别无效")})
    content_type = upload_checked(
        upload, accept=IMAGES if kind == Attachment.Kind.PHOTO else DOCUMENTS
    )
    attachment = Attachment.objects.create(
        case=case,
        kind=kind,
        file=upload,
        content_type=content_type,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        **extra,
    )
    event_record(
        actor=actor,
        verb="case.attachment_added",
        obj=case,
        data={"kind": kind, "attachment": attachment.pk},
    )
    return attachment


@transaction.atomic
def attachment_add(*, case: Case, kind: str, upload, actor=None) -> Attachment:
    """Keep a file with a case: the signed commitment (JPEG, PNG or PDF) or a photo (JPEG or PNG)."""
    if actor is not None and not actor.has_perm("monitoring.add_case", case):
        raise NotFound("case", {"id": case.pk})
    return _attachment_create(case=case, kind=kind, upload=upload, actor=actor)


@transaction.atomic
def declaration_photo_add(
    *, declaration: Declaration, upload, idempotency_key: str
) -> tuple[Attachment, bool]:
    """Add a resident's photo to their declaration once per key; return (photo, created)."""
    key = (idempotency_key or "").strip()
    if not key or len(key) > 120:
        raise Refused("idempotency_key_required", _("缺少 Idempotency-Key（1 至 120 个字符）"))
    existing = Attachment.objects.filter(idempotency_key=key).first()
    if existing is not None:
        if existing.declaration_id != declaration.pk:
            raise Conflict("idempotency_key_reused", _("该 Idempotency-Key 已用于其他申报"))
        return existing, False
    # Locking the declaration keeps two photos sent at once from both passing the count.
    Declaration.objects.select_for_update().filter(pk=declaration.pk).first()
    limit = _policy_int(
        "monitoring.declaration_photos", declaration.village_id, timezone.localdate()
    )
    if declaration.photos.count() >= limit:
        raise Refused(
            "too_many_photos",
            _("每份申报最多附 %(n)s 张照片") % {"n": limit},
            {"limit": limit},
        )
    photo = _attachment_create(
        case=declaration.case,
        kind=Attachment.Kind.PHOTO,
        upload=upload,
        declaration=declaration,
        idempotency_key=key,
    )
    return photo, True
