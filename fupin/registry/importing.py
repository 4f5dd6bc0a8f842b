"""Reading, checking and applying the registry's import files (households with members, incomes).

A file is read once, row by row, into compact tuples; the rules between rows are checked with
dicts and sets; the database is read in chunks for the records the file names; and only when
no problem was found is everything written set-based in one transaction.
"""

import datetime as dt
import gc
import logging
import re
import time
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.core.bulk import history_bulk_record, last_pk
from fupin.core.errors import Forbidden, FupinError
from fupin.core.idnumbers import resident_id_parse
from fupin.core.importing import (
    CHUNK,
    ImportProblem,
    ImportResult,
    OpenedSheet,
    import_lock,
    import_sheet_open,
    keys_table,
    max_problems,
    problem,
    rows_insert,
    rows_update,
)
from fupin.core.importing.columns import (
    ABSENT,
    CELL_MESSAGES,
    INVALID,
    CellError,
    Choices,
    Column,
    choice,
    integer,
    yes_no,
    yuan,
)
from fupin.core.masking import mask_id_number
from fupin.core.services import event_record
from fupin.regions.choices import Level
from fupin.regions.codes import is_valid_code, level_of
from fupin.regions.models import Region
from fupin.registry import choices as c
from fupin.registry.models import Household, HouseholdIncome, Person

HOUSEHOLD_COLUMNS: dict[str, tuple[str, ...]] = {
    "household_no": ("户编号", "household_no"),
    "village_code": ("行政区划代码", "village_code"),
    "id_number": ("证件号码", "身份证号码", "身份证号", "id_number"),
    "name": ("姓名", "name"),
    "relation": ("与户主关系", "relation"),
    "phone": ("联系电话", "phone"),
    "poverty_status": ("贫困状态", "poverty_status"),
    "policy_support": ("是否享受政策", "policy_support"),
    "household_type": ("户属性", "household_type"),
    "monitoring_type": ("监测类型", "monitoring_type"),
    "risk_state": ("风险状态", "risk_state"),
    "main_cause": ("主要致贫原因", "main_cause"),
    "health": ("健康状况", "health"),
    "disability_grade": ("残疾等级", "disability_grade"),
    "labor_ability": ("劳动能力", "labor_ability"),
    "schooling": ("在校生状况", "schooling"),
}
HOUSEHOLD_REQUIRED = {
    "household_no",
    "village_code",
    "id_number",
    "name",
    "relation",
    "poverty_status",
    "household_type",
}
# Household fields, in the order of the tuples below; the head's row states them for the household.
HOUSEHOLD_FIELDS = (
    "poverty_status",
    "policy_support",
    "household_type",
    "monitoring_type",
    "risk_state",
    "main_cause",
)
# Person fields taken from the file, in the order of the tuples below.
PERSON_FIELDS = (
    "name",
    "relation",
    "phone",
    "health",
    "disability_grade",
    "labor_ability",
    "schooling",
)

INCOME_COLUMNS: dict[str, tuple[str, ...]] = {
    "household_no": ("户编号", "household_no"),
    "year": ("年度", "year"),
    "size": ("家庭人口数", "size"),
    "wage": ("工资性收入", "wage"),
    "public_welfare_wage": ("公益性岗位收入", "其中：公益性岗位收入", "public_welfare_wage"),
    "business": ("生产经营性收入", "business"),
    "property_income": ("财产性收入", "property_income", "property"),
    "dividend": ("资产收益扶贫分红收入", "其中：资产收益扶贫分红收入", "dividend"),
    "transfer": ("转移性收入", "transfer"),
    "pension": ("养老金", "其中：养老金", "pension"),
    "dibao": ("低保金", "其中：低保金", "dibao"),
    "tekun_support": ("特困供养金", "其中：特困供养金", "tekun_support"),
    "eco_compensation": ("生态补偿金", "其中：生态补偿金", "eco_compensation"),
    "transfer_other": ("其他转移性收入", "其中：其他转移性收入", "transfer_other"),
    "production_cost": ("生产经营性支出", "production_cost"),
}
INCOME_REQUIRED = {
    "household_no",
    "year",
    "wage",
    "business",
    "property_income",
    "transfer",
    "production_cost",
}
MONEY_FIELDS = (
    "wage",
    "public_welfare_wage",
    "business",
    "property_income",
    "dividend",
    "transfer",
    "pension",
    "dibao",
    "tekun_support",
    "eco_compensation",
    "transfer_other",
    "production_cost",
)
TRANSFER_ITEMS = ("pension", "dibao", "tekun_support", "eco_compensation", "transfer_other")

# Problems of the registry files: code -> (Chinese message, English message).
MESSAGES = {
    **CELL_MESSAGES,
    "bad_phone": (
        _("联系电话应为以 1 开头的 11 位手机号码"),
        "The phone must be an 11-digit mobile number starting with 1",
    ),
    "village_code_format": (
        _("行政区划代码应为 12 位村级统计用区划代码"),
        "The division code must be a 12-digit village code",
    ),
    "unknown_village": (
        _("不是已登记的村级行政区划代码，或不在您的管辖范围内"),
        "Not a registered village code within your scope",
    ),
    "village_mismatch": (
        _("与本户第 %(row)s 行的行政区划代码不一致"),
        "Differs from this household's division code on row %(row)s",
    ),
    "duplicate_id": (
        _("证件号码与第 %(row)s 行（户编号 %(household_no)s）重复"),
        "Same ID number as row %(row)s (household %(household_no)s)",
    ),
    "two_heads": (
        _("本户已有户主（第 %(row)s 行），每户只能有一名户主"),
        "The household already has a head on row %(row)s; exactly one head per household",
    ),
    "no_head": (
        _("户编号 %(household_no)s 的农户没有户主"),
        "Household %(household_no)s has no head",
    ),
    "head_value_required": (_("户主所在行必须填写此项"), "Required on the head's row"),
    "household_value_mismatch": (
        _("与户主所在行（第 %(row)s 行）的“%(expected)s”不一致；其他成员行请留空或填写相同的值"),
        'Differs from the head\'s row (row %(row)s): "%(expected_en)s"; leave it empty or repeat it',
    ),
    "policy_support_not_lifted": (
        _("只有已脱贫户才能填写是否享受政策"),
        "Policy support applies only to lifted households",
    ),
    "risk_state_required": (
        _("填写了监测类型时必须填写风险状态"),
        "Risk state is required when a monitoring type is given",
    ),
    "risk_state_without_monitoring": (
        _("未填写监测类型时不能填写风险状态"),
        "Risk state needs a monitoring type",
    ),
    "id_in_other_household": (
        _("证件号码已登记在其他农户（%(household_no)s）"),
        "This ID number is already registered in another household (%(household_no)s)",
    ),
    "household_out_of_scope": (
        _("户编号已被您管辖范围以外的农户使用"),
        "The household number belongs to a household outside your scope",
    ),
    "household_removed": (
        _("该户已清退或自然减少，不能通过导入修改"),
        "The household has been removed and cannot be changed by import",
    ),
    "head_conflict": (
        _(
            "本户已登记户主（证件号码 %(id)s）；更换户主时请在文件中同时列出原户主及其新的与户主关系"
        ),
        "The household already has a head (ID %(id)s); to change the head, list the former head "
        "with a new relation too",
    ),
    "invalid_transition": (
        _("该户现为“%(old)s”，不能改为“%(new)s”（可改为：%(allowed)s）"),
        'The household is "%(old_en)s" and cannot become "%(new_en)s" (allowed: %(allowed_en)s)',
    ),
    "unknown_household": (
        _("户编号不存在或不在您的管辖范围内"),
        "No such household within your scope",
    ),
    "bad_year": (
        _("年度应为 %(min)s 至 %(max)s 之间的四位年份"),
        "The year must be from %(min)s to %(max)s",
    ),
    "bad_size": (
        _("家庭人口数应为 1 至 99 的整数"),
        "Household size must be a whole number from 1 to 99",
    ),
    "duplicate_income": (
        _("同一户同一年度已在第 %(row)s 行出现"),
        "The same household and year already appear on row %(row)s",
    ),
    "sub_item_exceeds": (
        _("%(item)s不能大于%(total)s（%(total_value)s）"),
        "%(item_en)s must not exceed %(total_en)s (%(total_value)s)",
    ),
}
ID_MESSAGES_EN = {
    "id_length": "The ID number must have 18 characters",
    "id_format": "The ID number is malformed",
    "id_checksum": "Wrong check character in the ID number",
    "id_component": "The address code or birth date in the ID number is invalid",
    "id_future_birth": "The birth date in the ID number is after today",
}

PHONE = re.compile(r"1\d{10}")
FIRST_YEAR = 2000
MAX_NAME = 50
MAX_HOUSEHOLD_NO = 32


log = logging.getLogger(__name__)


class _Clock:
    """Seconds spent in each phase of an import, for the log and the benchmark."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    @contextmanager
    def phase(self, name: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(self.seconds.get(name, 0) + time.perf_counter() - started, 2)


def _given(value) -> bool:
    return value is not ABSENT and value is not INVALID and value != "" and value is not None


@contextmanager
def _no_gc():
    # Millions of small tuples would trigger the cyclic collector over and over; none form cycles.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _household_choices() -> dict[str, Choices]:
    return {
        "relation": choice(c.Relation),
        "poverty_status": choice(c.PovertyStatus),
        "policy_support": yes_no(yes=("享受政策",), no=("不享受政策",)),
        "household_type": choice(c.HouseholdType),
        "monitoring_type": choice(c.MonitoringType),
        "risk_state": choice(c.RiskState),
        "main_cause": choice(c.PovertyCause),
        "health": choice(c.Health),
        "disability_grade": choice(c.DisabilityGrade),
        "labor_ability": choice(c.LaborAbility),
        "schooling": choice(c.Schooling),
    }


def household_allowed_labels() -> dict[str, list[str]]:
    """Return the Chinese labels the household import accepts for each coded column, in order."""
    return {key: list(choices.labels.values()) for key, choices in _household_choices().items()}


class _Problems:
    """The problem list of one import with shortcuts for the registry's messages."""

    def __init__(self, columns: dict[str, tuple[str, ...]]):
        self.items: list[ImportProblem] = []
        self.columns = columns
        self.header: dict[str, str] = {}
        self.limit = max_problems()

    def column(self, key: str) -> str:
        """Return the column's header as in the file, or its Chinese name when the file lacks it."""
        return self.header.get(key) or self.columns[key][0]

    def add(self, row: int, key: str, value: str, code: str, /, **params) -> None:
        if len(self.items) >= self.limit:
            return  # checking stops at the limit (ImportResult.stopped)
        zh, en = MESSAGES[code]
        self.items.append(
            problem(row, self.column(key) if key else "", value, code, zh, en, **params)
        )

    def add_id(self, row: int, key: str, value: str, exc: FupinError) -> None:
        if len(self.items) >= self.limit:
            return
        self.items.append(
            ImportProblem(
                row,
                self.column(key),
                value,
                str(exc.message),
                ID_MESSAGES_EN.get(exc.code, exc.code),
                exc.code,
            )
        )


def _scope_prefix(actor) -> str:
    """Return the code prefix the actor may import into ('' = everything, for system imports)."""
    if actor is None:
        return ""
    if not actor.has_perm("registry.import_household"):
        raise Forbidden(_("您的角色不能导入农户数据"))
    prefix = actor.scope_prefix
    if prefix is None:
        raise Forbidden(_("您的角色不能导入农户数据"))
    return prefix


class _Household:
    """One household of the file, gathered from its rows wherever they are."""

    __slots__ = (
        "no",
        "row",
        "village",
        "village_row",
        "head_row",
        "head_id",
        "values",
        "pending",
        "db_id",
        "db_values",
        "state",
    )

    def __init__(self, no: str, row: int):
        self.no = no
        self.row = row
        self.village = None
        self.village_row = 0
        self.head_row = 0
        self.head_id = None
        self.values = None
        self.pending = None  # member rows seen before the head: (row, values, texts)
        self.db_id = None
        self.db_values = None
        self.state = "new"  # new | same | changed | members (own fields same, members changed)


LIFTED = c.PovertyStatus.LIFTED.value
# The household fields that are states, with their tables: an import restates the register as the
# system (any role's move), but never makes a move its table does not have.
STATE_FIELDS = {"poverty_status": c.POVERTY_TRANSITIONS, "risk_state": c.RISK_TRANSITIONS}
HOUSEHOLD_DEFAULTS = (c.PovertyStatus.NONE.value, None, c.HouseholdType.GENERAL.value, "", "", "")

NEW, SAME, CHANGED = 0, 1, 2


class PersonRow(NamedTuple):
    """A person of the file: its row, household, ID number, then the values of PERSON_FIELDS."""

    row: int
    household: _Household
    id_number: str
    name: object
    relation: object
    phone: object
    health: object
    disability_grade: object
    labor_ability: object
    schooling: object

    @property
    def fields(self) -> tuple:
        """Return the values of PERSON_FIELDS, in their order (ABSENT where the file lacks one)."""
        return self[3:]


class PendingRow(NamedTuple):
    """A member's row seen before its household's head: household values and their texts."""

    row: int
    values: tuple
    texts: list[str]


class IncomeRow(NamedTuple):
    """One household-year of an income file: its row, size, and the amounts of its columns."""

    row: int
    size: int | None
    amounts: list


class HouseholdFile:
    """A household file read into memory, checked, and applied when clean."""

    def __init__(self, *, path: str | Path, actor=None):
        self.path = Path(path)
        self.actor = actor
        self.prefix = _scope_prefix(actor)
        self.today = timezone.localdate()
        self.problems = _Problems(HOUSEHOLD_COLUMNS)
        self.households: dict[str, _Household] = {}
        self.persons: list[PersonRow] = []
        self.by_id: dict[str, int] = {}
        self.choices = _household_choices()
        self.clock = _Clock()

    def run(self) -> ImportResult:
        """Read, check and (when clean) apply the file; return the counts or the problems."""
        sheet = import_sheet_open(
            self.path, HOUSEHOLD_COLUMNS, HOUSEHOLD_REQUIRED, self.problems.items
        )
        if sheet is None:
            return ImportResult(problems=self.problems.items)
        self.problems.header = {key: sheet.name(key) for key in sheet.index}
        clock = self.clock
        # The file is read before the transaction opens: SQLite's write lock is then held only
        # while the database is checked and written, not while a large file is parsed.
        with clock.phase("read"), _no_gc():
            self.read(sheet)
            self.check_households()
        with transaction.atomic():
            import_lock("households")
            with clock.phase("check"):
                self.check_database()
            if self.problems.items:
                result = ImportResult(problems=self.problems.items)
            else:
                with clock.phase("write"):
                    result = self.write()
        result.details["seconds"] = clock.seconds
        log.info("household import of %s: %s; %s", self.path.name, result.summary(), clock.seconds)
        return result

    # Reading -------------------------------------------------------------------------------------

    def read(self, sheet: OpenedSheet) -> None:
        """Check every row on its own and gather households, heads and ID numbers."""
        index = sheet.index
        width = len(sheet.header)
        add = self.problems.add
        ix = {key: index.get(key, -1) for key in HOUSEHOLD_COLUMNS}
        villages = set(
            Region.objects.filter(level=Level.VILLAGE, code__startswith=self.prefix).values_list(
                "code", flat=True
            )
        )
        choice_readers = {key: self._choice_reader(key, ix[key]) for key in self.choices}
        hh_readers = [choice_readers[k] for k in HOUSEHOLD_FIELDS]
        read_relation = choice_readers["relation"]
        person_readers = [
            choice_readers[k] for k in ("health", "disability_grade", "labor_ability", "schooling")
        ]
        ix_no, ix_village, ix_id, ix_name, ix_phone = (
            ix["household_no"],
            ix["village_code"],
            ix["id_number"],
            ix["name"],
            ix["phone"],
        )
        households, persons, by_id, today = self.households, self.persons, self.by_id, self.today
        head = c.Relation.HEAD.value

        for number, cells in sheet.rows:
            if len(cells) < width:
                cells.extend([""] * (width - len(cells)))
            no = cells[ix_no]
            if not no:
                add(number, "household_no", no, "required")
                no = None
            elif len(no) > MAX_HOUSEHOLD_NO:
                add(number, "household_no", no, "too_long", max=MAX_HOUSEHOLD_NO)
                no = None

            village = cells[ix_village]
            if village not in villages:
                if not village:
                    add(number, "village_code", village, "required")
                elif not is_valid_code(village) or level_of(village) != Level.VILLAGE:
                    add(number, "village_code", village, "village_code_format")
                else:
                    add(number, "village_code", village, "unknown_village")
                village = None

            id_text = cells[ix_id]
            id_number = None
            if not id_text:
                add(number, "id_number", id_text, "required")
            else:
                try:
                    id_number = resident_id_parse(id_text, today=today).number
                except FupinError as exc:
                    self.problems.add_id(number, "id_number", id_text, exc)

            name = cells[ix_name]
            if not name:
                add(number, "name", name, "required")
            elif len(name) > MAX_NAME:
                add(number, "name", name, "too_long", max=MAX_NAME)
                name = INVALID

            relation = read_relation(number, cells)
            if relation == "":
                add(number, "relation", "", "required")
                relation = INVALID

            phone = cells[ix_phone] if ix_phone >= 0 else ABSENT
            if phone and phone is not ABSENT and not PHONE.fullmatch(phone):
                add(number, "phone", phone, "bad_phone")
                phone = INVALID

            values = tuple(read(number, cells) for read in hh_readers)
            health, grade, labor, schooling = (read(number, cells) for read in person_readers)
            if grade == "":
                grade = None

            if no is None:
                continue
            hh = households.get(no)
            if hh is None:
                hh = households[no] = _Household(no, number)
            if village is not None:
                if hh.village is None:
                    hh.village, hh.village_row = village, number
                elif village != hh.village:
                    add(number, "village_code", village, "village_mismatch", row=hh.village_row)
            if relation == head:
                if hh.head_row:
                    add(number, "relation", cells[ix["relation"]], "two_heads", row=hh.head_row)
                else:
                    self._head_read(hh, number, id_number, values, cells, ix)
            elif relation is not INVALID and any(_given(v) for v in values):
                if hh.head_row:
                    self._member_compare(
                        hh,
                        number,
                        values,
                        [cells[ix[k]] if ix[k] >= 0 else "" for k in HOUSEHOLD_FIELDS],
                    )
                else:
                    if hh.pending is None:
                        hh.pending = []
                    hh.pending.append(
                        PendingRow(
                            number,
                            values,
                            [cells[ix[k]] if ix[k] >= 0 else "" for k in HOUSEHOLD_FIELDS],
                        )
                    )
            if id_number is not None:
                first = by_id.get(id_number)
                if first is not None:
                    other = persons[first]
                    add(
                        number,
                        "id_number",
                        id_text,
                        "duplicate_id",
                        row=other.row,
                        household_no=other.household.no,
                    )
                else:
                    by_id[id_number] = len(persons)
                    persons.append(
                        PersonRow(
                            number,
                            hh,
                            id_number,
                            name,
                            relation,
                            phone,
                            health,
                            grade,
                            labor,
                            schooling,
                        )
                    )

    def _choice_reader(self, key: str, position: int):
        """Return the dialect's reader of a coded cell bound to its column: value, '', ABSENT or INVALID."""
        column = Column(key, HOUSEHOLD_COLUMNS[key], self.choices[key])
        return column.bind(position, self.problems.items, self.problems.column(key), MESSAGES)

    def _head_read(self, hh: _Household, number: int, id_number, values: tuple, cells, ix) -> None:
        """Take the head's row as the household's fields and check them together."""
        hh.head_row, hh.head_id, hh.values = number, id_number, values
        add = self.problems.add
        status, support, kind, monitoring, risk, _cause = values
        for key, value in (("poverty_status", status), ("household_type", kind)):
            if value == "":
                add(number, key, "", "head_value_required")
        if _given(support) and status not in (LIFTED, INVALID, ""):
            add(number, "policy_support", cells[ix["policy_support"]], "policy_support_not_lifted")
        if _given(monitoring) and risk in ("", ABSENT):
            add(number, "risk_state", "", "risk_state_required")
        if _given(risk) and monitoring == "":
            add(number, "risk_state", cells[ix["risk_state"]], "risk_state_without_monitoring")
        if hh.pending:
            for row, member_values, texts in hh.pending:
                self._member_compare(hh, row, member_values, texts)
            hh.pending = None

    def _member_compare(self, hh: _Household, number: int, values: tuple, texts: list[str]) -> None:
        """Report the household fields of a member's row that differ from the head's row."""
        for key, value, expected, text in zip(
            HOUSEHOLD_FIELDS, values, hh.values, texts, strict=True
        ):
            if _given(value) and expected is not INVALID and value != expected:
                empty = expected in ("", None)
                self.problems.add(
                    number,
                    key,
                    text,
                    "household_value_mismatch",
                    row=hh.head_row,
                    expected="（空）" if empty else self.choices[key].label(expected),
                    expected_en="(empty)" if empty else str(expected).lower(),
                )

    def check_households(self) -> None:
        """Check the rules between rows: every household has its head."""
        for hh in self.households.values():
            if not hh.head_row:
                self.problems.add(hh.row, "relation", "", "no_head", household_no=hh.no)

    # Checking against the database -----------------------------------------------------------------

    def check_database(self) -> None:
        """Find the stored households and persons the file names, and the conflicts with them."""
        households = self.households
        by_db_id: dict[int, _Household] = {}
        prefix = self.prefix
        with keys_table(households) as numbers:
            rows = list(
                Household.objects.filter(household_no__in=numbers)
                .order_by()
                .values_list(
                    "household_no", "id", "village_id", "removal_reason", *HOUSEHOLD_FIELDS
                )
            )
        for no, pk, village, removal, *values in rows:
            hh = households[no]
            if not village.startswith(prefix):
                self.problems.add(hh.row, "household_no", no, "household_out_of_scope")
                continue
            if removal:
                self.problems.add(hh.row, "household_no", no, "household_removed")
                continue
            hh.db_id = pk
            hh.db_values = (village, *values)
            by_db_id[pk] = hh
            self._check_moves(hh, values)
        self._check_persons(by_db_id)
        self._check_heads(by_db_id)

    def _check_moves(self, hh: "_Household", stored: list) -> None:
        """Report the states the file moves a stored household to that their tables do not allow.

        An empty state (an unmarked household's risk, or the mark taken off) is no move.
        """
        if hh.values is None:
            return
        for key, table in STATE_FIELDS.items():
            at = HOUSEHOLD_FIELDS.index(key)
            old, new = stored[at], hh.values[at]
            moves = table.get(old, {})
            if not _given(new) or not old or new == old or new in moves:
                continue
            label = self.choices[key].label
            self.problems.add(
                hh.head_row,
                key,
                label(new),
                "invalid_transition",
                old=label(old),
                new=label(new),
                allowed="、".join(label(to) for to in moves),
                old_en=old,
                new_en=new,
                allowed_en=", ".join(moves),
            )

    def _check_persons(self, by_db_id: dict[int, "_Household"]) -> None:
        """Match the file's ID numbers with active persons; record each as new, same or changed."""
        persons, by_id = self.persons, self.by_id
        self.person_state = bytearray(len(persons))  # NEW unless matched below
        self.person_updates: list[tuple] = []
        columns = (
            "id",
            "id_number",
            "household_id",
            "household__household_no",
            "household__village_id",
            *PERSON_FIELDS,
            "sex",
            "birth_date",
        )
        with keys_table(by_id) as id_numbers:
            rows = (
                Person.objects.filter(left_on__isnull=True, id_number__in=id_numbers)
                .order_by()
                .values_list(*columns)
            )
            for pk, id_number, household_id, household_no, village, *stored in rows.iterator(
                chunk_size=CHUNK
            ):
                i = by_id[id_number]
                person = persons[i]
                hh = person.household
                if by_db_id.get(household_id) is not hh:
                    shown = (
                        household_no if village.startswith(self.prefix) else str(_("管辖范围以外"))
                    )
                    self.problems.add(
                        person.row,
                        "id_number",
                        id_number,
                        "id_in_other_household",
                        household_no=shown,
                    )
                    continue
                new = self._person_values(person, stored)
                if tuple(new) == tuple(stored):
                    self.person_state[i] = SAME
                else:
                    self.person_state[i] = CHANGED
                    self.person_updates.append((stored[1], new, pk))

    def _person_values(self, person: PersonRow, stored: list) -> list:
        """Return the stored person's fields with the file's values laid over them."""
        new = list(stored)
        for position, value in enumerate(person.fields):
            if value is not ABSENT:
                new[position] = value
        id_number = person.id_number
        new[len(PERSON_FIELDS)] = "M" if int(id_number[16]) % 2 else "F"
        new[len(PERSON_FIELDS) + 1] = dt.date(
            int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14])
        )
        return new

    def _check_heads(self, by_db_id: dict[int, "_Household"]) -> None:
        """Refuse a new head for a stored household whose present head the file does not demote."""
        if not by_db_id:
            return
        with keys_table(by_db_id, column_type="bigint") as household_ids:
            # Not .iterator(): PostgreSQL plans a server-side cursor for its first rows and picks a
            # nested loop that takes minutes here; the result is one short row per household.
            rows = list(
                Person.objects.filter(
                    left_on__isnull=True,
                    relation=c.Relation.HEAD.value,
                    household_id__in=household_ids,
                )
                .order_by()
                .values_list("household_id", "id_number")
            )
        for household_id, id_number in rows:
            self._check_head(by_db_id[household_id], id_number)

    def _check_head(self, hh: "_Household", stored_head: str) -> None:
        """Report a new head unless the stored head is in the file, in the same household."""
        if hh.head_id is None or hh.head_id == stored_head:
            return
        i = self.by_id.get(stored_head)
        if i is None or self.persons[i].household is not hh:
            self.problems.add(
                hh.head_row,
                "relation",
                self.choices["relation"].label(c.Relation.HEAD.value),
                "head_conflict",
                id=mask_id_number(stored_head),
            )

    # Writing -----------------------------------------------------------------------------------

    def write(self) -> ImportResult:
        """Write new and changed households and persons set-based, with their history rows."""
        now = timezone.now()
        stamp = connection.ops.adapt_datetimefield_value(now)
        reason = str(_("导入文件 %(file)s")) % {"file": self.path.name}
        max_household = last_pk(Household)
        max_person = last_pk(Person)
        households = self.households.values()

        created = [hh for hh in households if hh.db_id is None]
        empty_json = Household._meta.get_field("risk_types").get_db_prep_value([], connection)
        rows_insert(
            Household._meta.db_table,
            [
                "household_no",
                "village_code",
                *HOUSEHOLD_FIELDS,
                "risk_types",
                "removal_reason",
                "created_at",
                "updated_at",
            ],
            [(hh.no, *self._household_fields(hh), empty_json, "", stamp, stamp) for hh in created],
        )
        if created:
            new_ids = dict(
                Household.objects.filter(pk__gt=max_household)
                .order_by()
                .values_list("household_no", "id")
            )
            for hh in created:
                hh.db_id = new_ids[hh.no]

        household_updates = []
        for hh in households:
            if hh.db_values is None:
                continue
            new = self._household_fields(hh, stored=hh.db_values)
            if new != hh.db_values:
                hh.state = "changed"
                household_updates.append((*new, stamp, hh.db_id))
            else:
                hh.state = "same"
        rows_update(
            Household._meta.db_table,
            ["village_code", *HOUSEHOLD_FIELDS, "updated_at"],
            household_updates,
        )

        head = c.Relation.HEAD.value
        # A former head is demoted before the new one is named: one active head per household at all times.
        self.person_updates.sort(key=lambda u: u[0] == head and u[1][1] != head, reverse=True)
        rows_update(
            Person._meta.db_table,
            [*PERSON_FIELDS, "sex", "birth_date", "updated_at"],
            [(*new, stamp, pk) for _old_relation, new, pk in self.person_updates],
        )
        state = self.person_state
        persons = self.persons
        for i, person in enumerate(persons):
            if state[i] != SAME:
                hh = person.household
                if hh.state == "same":
                    hh.state = "members"
        created_persons = rows_insert(
            Person._meta.db_table,
            [
                "household_id",
                "id_number",
                *PERSON_FIELDS,
                "sex",
                "birth_date",
                "left_reason",
                "created_at",
                "updated_at",
            ],
            (
                self._person_new_row(person, stamp)
                for i, person in enumerate(persons)
                if state[i] == NEW
            ),
        )

        history = {"actor": self.actor, "reason": reason}
        with self.clock.phase("history"):
            self._history_write(
                now, max_household, max_person, created, created_persons, household_updates, history
            )

        counts = {"created": len(created), "updated": 0, "unchanged": 0}
        for hh in households:
            if hh.state in ("changed", "members"):
                counts["updated"] += 1
            elif hh.state == "same":
                counts["unchanged"] += 1
        person_counts = {
            "created": created_persons,
            "updated": len(self.person_updates),
            "unchanged": len(persons) - created_persons - len(self.person_updates),
        }
        event_record(
            actor=self.actor,
            verb="registry.households_imported",
            object_type="registry.household",
            region_code=self.prefix and self.actor.region_id,
            reason=reason,
            data={"file": self.path.name, "households": counts, "persons": person_counts},
        )
        return ImportResult(**counts, details={"persons": person_counts})

    def _history_write(
        self,
        now,
        max_household: int,
        max_person: int,
        created: list,
        created_persons: int,
        household_updates: list,
        history: dict,
    ) -> None:
        """Add one history row per created or changed household and person, set-based.

        The rows of this import are those stamped with its timestamp: created ones above the
        previous largest id, changed ones at or below it. One statement per kind, whatever the count.
        """
        if created:
            history_bulk_record(
                queryset=Household.objects.filter(pk__gt=max_household, created_at=now).order_by(),
                history_type="+",
                **history,
            )
        if household_updates:
            history_bulk_record(
                queryset=Household.objects.filter(pk__lte=max_household, updated_at=now).order_by(),
                history_type="~",
                **history,
            )
        if created_persons:
            history_bulk_record(
                queryset=Person.objects.filter(pk__gt=max_person, created_at=now).order_by(),
                history_type="+",
                **history,
            )
        if self.person_updates:
            history_bulk_record(
                queryset=Person.objects.filter(pk__lte=max_person, updated_at=now).order_by(),
                history_type="~",
                **history,
            )

    def _household_fields(self, hh: _Household, stored: tuple | None = None) -> tuple:
        """Return (village, *household fields) as the file states them; stored or default values where absent."""
        base = stored[1:] if stored else HOUSEHOLD_DEFAULTS
        fields = [b if v is ABSENT else v for v, b in zip(hh.values, base, strict=True)]
        if fields[0] != LIFTED or fields[1] == "":
            fields[1] = None  # policy support is stated only for lifted households
        return (hh.village, *fields)

    @staticmethod
    def _person_new_row(person: PersonRow, stamp) -> tuple:
        """Return the database row of a new person (sex and birth date from the ID number)."""
        id_number = person.id_number
        name, relation, phone, health, grade, labor, schooling = (
            ("" if v is ABSENT else v) for v in person.fields
        )
        if grade == "":
            grade = None
        return (
            person.household.db_id,
            id_number,
            name,
            relation,
            phone,
            health,
            grade,
            labor,
            schooling,
            "M" if int(id_number[16]) % 2 else "F",
            f"{id_number[6:10]}-{id_number[10:12]}-{id_number[12:14]}",
            "",
            stamp,
            stamp,
        )


class IncomeFile:
    """An income file read into memory, checked, and applied when clean."""

    def __init__(self, *, path: str | Path, actor=None):
        self.path = Path(path)
        self.actor = actor
        self.prefix = _scope_prefix(actor)
        self.problems = _Problems(INCOME_COLUMNS)
        self.rows: dict[tuple[str, int], IncomeRow] = {}

    def run(self) -> ImportResult:
        """Read, check and (when clean) apply the file; return the counts or the problems."""
        sheet = import_sheet_open(self.path, INCOME_COLUMNS, INCOME_REQUIRED, self.problems.items)
        if sheet is None:
            return ImportResult(problems=self.problems.items)
        self.problems.header = {key: sheet.name(key) for key in sheet.index}
        self.present = [key for key in MONEY_FIELDS if key in sheet.index]
        started = time.perf_counter()
        with _no_gc():
            self.read(sheet)
        with transaction.atomic():
            import_lock("incomes")
            matched = self.check_database()
            result = (
                ImportResult(problems=self.problems.items)
                if self.problems.items
                else self.write(matched)
            )
        log.info(
            "income import of %s: %s in %.1f s",
            self.path.name,
            result.summary(),
            time.perf_counter() - started,
        )
        return result

    def read(self, sheet: OpenedSheet) -> None:
        """Check every row on its own and gather one row per household and year."""
        index, add = sheet.index, self.problems.add
        width = len(sheet.header)
        ix_size = index.get("size", -1)
        last_year = timezone.localdate().year
        problems, header = self.problems.items, self.problems.header
        readers = [
            Column(key, INCOME_COLUMNS[key], yuan()).bind(
                index[key], problems, header[key], MESSAGES
            )
            for key in self.present
        ]
        read_year = integer(FIRST_YEAR, last_year, "bad_year")
        read_size = integer(1, 99, "bad_size")
        zero = Decimal("0.00")
        for number, cells in sheet.rows:
            if len(cells) < width:
                cells.extend([""] * (width - len(cells)))
            no = cells[index["household_no"]]
            if not no:
                add(number, "household_no", no, "required")
            year_text = cells[index["year"]]
            year = None
            if not year_text:
                add(number, "year", year_text, "required")
            else:
                try:
                    year = read_year(year_text)
                except CellError as exc:
                    problems.append(exc.problem(number, header["year"], year_text, MESSAGES))
            size = None
            if ix_size >= 0 and (size_text := cells[ix_size]):
                try:
                    size = read_size(size_text)
                except CellError as exc:
                    size = 0
                    problems.append(exc.problem(number, header["size"], size_text, MESSAGES))
            amounts = [read(number, cells) for read in readers]
            amounts = [zero if a == "" else None if a is INVALID else a for a in amounts]
            if not no or year is None:
                continue
            first = self.rows.get((no, year))
            if first is not None:
                add(number, "year", year_text, "duplicate_income", row=first.row)
                continue
            self.rows[(no, year)] = IncomeRow(number, size, amounts)

    def check_database(self) -> dict[tuple[int, int], tuple]:
        """Find the households and stored incomes of the file; check sub-items against totals."""
        years = {year for _no, year in self.rows}
        with keys_table({no for no, _year in self.rows}) as numbers:
            household_ids: dict[str, int] = dict(
                Household.objects.filter(
                    household_no__in=numbers, village__code__startswith=self.prefix
                )
                .order_by()
                .values_list("household_no", "id")
            )
            stored: dict[tuple[int, int], tuple] = {
                (household_id, year): (pk, values)
                for household_id, year, pk, *values in HouseholdIncome.objects.filter(
                    household__household_no__in=numbers, year__in=years
                )
                .order_by()
                .values_list("household_id", "year", "id", "size", *MONEY_FIELDS)
            }
        matched: dict[tuple[int, int], tuple] = {}
        for (no, year), (number, size, amounts) in self.rows.items():
            household_id = household_ids.get(no)
            if household_id is None:
                self.problems.add(number, "household_no", no, "unknown_household")
                continue
            if any(a is None for a in amounts):
                continue
            old = stored.get((household_id, year))
            values = dict(
                zip(
                    MONEY_FIELDS,
                    old[1][1:] if old else [Decimal("0.00")] * len(MONEY_FIELDS),
                    strict=True,
                )
            )
            values.update(zip(self.present, amounts, strict=True))
            if self._sub_items_exceed(number, values):
                continue
            new_size = size if "size" in self.problems.header else (old[1][0] if old else None)
            matched[(household_id, year)] = (new_size, values, old)
        return matched

    def _sub_items_exceed(self, number: int, v: dict) -> bool:
        found = False
        for item, total in (("public_welfare_wage", "wage"), ("dividend", "property_income")):
            if v[item] > v[total]:
                self._exceeds(number, item, v[item], total, v[total])
                found = True
        transfer_items = sum(v[k] for k in TRANSFER_ITEMS)
        if transfer_items > v["transfer"]:
            self._exceeds(number, "transfer", transfer_items, "transfer", v["transfer"], items=True)
            found = True
        return found

    def _exceeds(self, number, item, value, total, total_value, items=False) -> None:
        name = str(_("转移性收入各分项之和")) if items else INCOME_COLUMNS[item][0]
        name_en = "the sum of transfer sub-items" if items else INCOME_COLUMNS[item][-1]
        self.problems.add(
            number,
            item,
            str(value),
            "sub_item_exceeds",
            item=name,
            item_en=name_en,
            total=INCOME_COLUMNS[total][0],
            total_en=INCOME_COLUMNS[total][-1],
            total_value=total_value,
        )

    def write(self, matched: dict[tuple[int, int], tuple]) -> ImportResult:
        """Insert new household-years and update changed ones, with history rows."""
        now = timezone.now()
        stamp = connection.ops.adapt_datetimefield_value(now)
        reason = str(_("导入文件 %(file)s")) % {"file": self.path.name}
        max_income = last_pk(HouseholdIncome)
        inserts, updates, unchanged = [], [], 0
        for (household_id, year), (size, values, old) in matched.items():
            amounts = [values[k] for k in MONEY_FIELDS]
            if old is None:
                inserts.append((household_id, year, size, *amounts, stamp, stamp))
            elif [size, *amounts] != list(old[1]):
                updates.append((size, *amounts, stamp, old[0]))
            else:
                unchanged += 1
        table = HouseholdIncome._meta.db_table
        rows_insert(
            table,
            ["household_id", "year", "size", *MONEY_FIELDS, "created_at", "updated_at"],
            inserts,
        )
        rows_update(table, ["size", *MONEY_FIELDS, "updated_at"], updates)
        history = {"actor": self.actor, "reason": reason}
        if inserts:
            history_bulk_record(
                queryset=HouseholdIncome.objects.filter(
                    pk__gt=max_income, created_at=now
                ).order_by(),
                history_type="+",
                **history,
            )
        if updates:
            history_bulk_record(
                queryset=HouseholdIncome.objects.filter(
                    pk__lte=max_income, updated_at=now
                ).order_by(),
                history_type="~",
                **history,
            )
        counts = {"created": len(inserts), "updated": len(updates), "unchanged": unchanged}
        event_record(
            actor=self.actor,
            verb="registry.incomes_imported",
            object_type="registry.householdincome",
            region_code=self.prefix and self.actor.region_id,
            reason=reason,
            data={"file": self.path.name, **counts},
        )
        return ImportResult(**counts)
