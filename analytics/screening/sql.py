"""The screening as SQL: one text for DuckDB and Spark SQL, differing only in a few dialect functions.

Dates stay ISO strings (`YYYY-MM-DD`) once checked: they compare as text the same way on both
engines, so no engine's date parsing or time zone enters the result. Money is DECIMAL(18, 2).
"""

from dataclasses import dataclass
from decimal import Decimal

from analytics.screening.feeds import BY_HOUSEHOLD, BY_PERSON, FEEDS, RULES, Column, Feed

NUMBER = "[0-9]{1,12}([.][0-9]{1,2}0*)?"
DATE = "[0-9]{4}([-/])[0-9]{2}[-/][0-9]{2}([ T].*)?"
COMPACT_DATE = "[0-9]{8}"
# A quoted line is split by this pattern applied to ',' || line; group 1 is each field.
FIELD = ',("(?:[^"]|"")*"|[^,"]*)'
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
MONEY = "DECIMAL(18,2)"
RATE = "DECIMAL(18,6)"


@dataclass(frozen=True)
class Dialect:
    """The functions that DuckDB and Spark SQL spell differently."""

    name: str

    def matches(self, value: str, pattern: str) -> str:
        """Return a condition: the whole value matches the pattern (no backslashes in patterns)."""
        if self.name == "duckdb":
            return f"regexp_full_match({value}, '{pattern}')"
        return f"({value} RLIKE '^(?:{pattern})$')"

    def split(self, value: str) -> str:
        return f"string_split({value}, ',')" if self.name == "duckdb" else f"split({value}, ',')"

    def item(self, array: str, position: int) -> str:
        """Return the 1-based item of an array, NULL past its end."""
        if self.name == "duckdb":
            return f"list_extract({array}, {position})"
        return f"try_element_at({array}, {position})"

    def size(self, array: str) -> str:
        return f"len({array})" if self.name == "duckdb" else f"size({array})"

    def ident(self, name: str) -> str:
        """Return a quoted column name."""
        if self.name == "duckdb":
            return '"' + name.replace('"', '""') + '"'
        return "`" + name.replace("`", "``") + "`"

    def intdiv(self, a: str, b: str) -> str:
        return f"({a}) // ({b})" if self.name == "duckdb" else f"({a}) DIV ({b})"


@dataclass(frozen=True)
class Params:
    """The rule parameters of one region (plain numbers; from policy or a policy file)."""

    income_threshold: Decimal
    income_drop_ratio: Decimal
    medical_abs: Decimal
    medical_ratio: Decimal
    disaster_abs: Decimal
    disaster_ratio: Decimal

    def as_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items()}


def q(text: str) -> str:
    """Return a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def unquote(value: str) -> str:
    """Return a CSV field without its surrounding quotes, doubled quotes undone."""
    return (
        f"CASE WHEN {value} LIKE '\"%\"' AND length({value}) >= 2 "
        f"THEN replace(substr({value}, 2, length({value}) - 2), '\"\"', '\"') ELSE {value} END"
    )


def lines_to_fields(
    d: Dialect, feed: Feed, positions: dict[str, int], width: int, lines: str
) -> str:
    """Return the raw rows of a CSV feed from its lines: line, row problem, one text per column."""
    text = "CASE WHEN t LIKE '%' || chr(13) THEN substr(t, 1, length(t) - 1) ELSE t END"
    split = (
        f"CASE WHEN instr(text, '\"') = 0 THEN {d.split('text')} "
        f"ELSE regexp_extract_all(',' || text, {q(FIELD)}, 1) END"
    )
    whole = d.matches("',' || text", f"({FIELD})*")
    columns = ",\n  ".join(
        f"{unquote(d.item('f', positions[c.name]))} AS c_{c.name}"
        if c.name in positions
        else f"CAST(NULL AS STRING) AS c_{c.name}"
        for c in feed.columns
    )
    return f"""
SELECT line,
  CASE WHEN text = '' THEN 'empty_row'
       WHEN instr(text, '"') > 0 AND NOT {whole} THEN 'malformed_row'
       WHEN {d.size("f")} <> {width} THEN 'malformed_row' END AS row_reason,
  {columns}
FROM (SELECT line, text, {split} AS f
      FROM (SELECT line, {text} AS text FROM (SELECT line, coalesce(text, '') AS t FROM {lines}) l0) l1
      WHERE line > 1) l2"""


def columns_to_fields(
    d: Dialect, feed: Feed, sources: dict[str, tuple[str, str]], table: str
) -> tuple[str, dict[str, str]]:
    """Return the raw rows of a Parquet feed, and which columns stay typed ("number" or "date").

    Amounts and years of numeric columns, and dates of date columns, are checked as what they are;
    every other column is read as text. A float goes through its exact decimal, whose text and
    value are the same on both engines (their float texts are not: 1.0E7 / 10000000.0).
    """
    columns, typed = [], {}
    for c in feed.columns:
        if c.name not in sources:
            columns.append(f"CAST(NULL AS STRING) AS c_{c.name}")
            continue
        source, kind = sources[c.name]
        name = d.ident(source)
        if kind == "float":
            name = f"CAST({name} AS DECIMAL(38,10))"
        if c.kind in ("amount", "year") and kind in ("number", "float"):
            columns.append(f"{name} AS c_{c.name}")
            typed[c.name] = "number"
        elif c.kind == "date" and kind == "date":
            columns.append(f"CAST({name} AS STRING) AS c_{c.name}")
            typed[c.name] = "date"
        else:
            columns.append(f"CAST({name} AS STRING) AS c_{c.name}")
    select = f"SELECT line, CAST(NULL AS STRING) AS row_reason, {', '.join(columns)} FROM {table}"
    return select, typed


def _trim(value: str) -> str:
    # trim() is slow on long columns; most values have no space to remove.
    return f"CASE WHEN {value} LIKE ' %' OR {value} LIKE '% ' THEN trim({value}) ELSE {value} END"


def _days_in_month(y: str, m: str) -> str:
    return (
        f"CASE WHEN {m} IN (1, 3, 5, 7, 8, 10, 12) THEN 31 WHEN {m} IN (4, 6, 9, 11) THEN 30 "
        f"WHEN ({y} % 4 = 0 AND {y} % 100 <> 0) OR {y} % 400 = 0 THEN 29 ELSE 28 END"
    )


def _valid_date(y: str, m: str, day: str) -> str:
    return f"({y} >= 1 AND {m} BETWEEN 1 AND 12 AND {day} BETWEEN 1 AND {_days_in_month(y, m)})"


def _choice(value: str, choices: dict[str, str]) -> str:
    whens = " ".join(f"WHEN {q(text)} THEN {q(key)}" for text, key in choices.items())
    return f"CASE {value} {whens} END"


def check_feed(
    d: Dialect, feed: Feed, raw: str, *, today: str, typed_columns: dict[str, str] | None = None
) -> str:
    """Return the checked rows of a feed: line, typed columns, and `reason` when the row is unusable."""
    typed_columns = typed_columns or {}

    def cell(c: Column) -> str:
        value = f"c_{c.name}"
        if c.name not in typed_columns:
            value = f"NULLIF({_trim(value)}, '')"
        if c.empty_as is not None:
            empty = "0" if typed_columns.get(c.name) == "number" else q(c.empty_as)
            value = f"coalesce({value}, {empty})"
        return f"{value} AS s_{c.name}"

    trimmed = ", ".join(cell(c) for c in feed.columns)
    derived: list[str] = []
    derived2: list[str] = []
    checks: list[tuple[str, str]] = []
    typed: list[str] = []
    for c in feed.columns:
        s = f"s_{c.name}"
        if c.required and c.empty_as is None:
            checks.append((f"{s} IS NULL", f"missing_value:{c.name}"))
        derived_c, derived2_c, checks_c, typed_c = _column(
            d, c, s, today, typed_columns.get(c.name)
        )
        derived += derived_c
        derived2 += derived2_c
        checks += [(f"{s} IS NOT NULL AND {cond}", reason) for cond, reason in checks_c]
        typed += typed_c
    if feed.name == "medical":
        checks.append(("a_self_pay > a_total_cost", "self_pay_exceeds_total"))
    if feed.name == "civil":
        checks.append(("d_end_date < d_start_date", "end_before_start"))
    whens = "\n       ".join(f"WHEN {cond} THEN {q(reason)}" for cond, reason in checks)
    return f"""
SELECT line, {", ".join(typed)},
  CASE WHEN row_reason IS NOT NULL THEN row_reason
       {whens} END AS reason
FROM (SELECT *, {", ".join(derived2) if derived2 else "1 AS two"}
      FROM (SELECT *, {", ".join(derived) if derived else "1 AS one"}
            FROM (SELECT line, row_reason, {trimmed} FROM {raw}) r1) r2) r3"""


def _column(d: Dialect, c: Column, s: str, today: str, typed: str | None = None):
    """Return (derived expressions, expressions on those, checks, typed outputs) of one column."""
    n = c.name
    if c.kind == "id":
        u, k = f"u_{n}", f"n_{n}"

        def digits(div: int) -> str:
            return f"({d.intdiv(k, str(div))} % {{}})"

        checksum = " + ".join(
            f"{digits(10 ** (16 - i)).format(10)} * {w}" for i, w in enumerate(WEIGHTS)
        )
        y, m, day = (
            digits(10**7).format(10000),
            digits(10**5).format(100),
            digits(1000).format(100),
        )
        return (
            [f"upper({s}) AS {u}"],
            [f"TRY_CAST(substr({u}, 1, 17) AS BIGINT) AS {k}"],
            [
                (f"length({u}) <> 18", f"id_length:{n}"),
                (f"NOT {d.matches(u, '[0-9]{17}[0-9X]')}", f"id_format:{n}"),
                (
                    f"substr('10X98765432', (({checksum}) % 11) + 1, 1) <> substr({u}, 18, 1)",
                    f"id_checksum:{n}",
                ),
                (f"NOT {_valid_date(y, m, day)}", f"id_component:{n}"),
                (
                    f"{digits(1000).format(100000000)} > {today.replace('-', '')}",
                    f"id_future_birth:{n}",
                ),
            ],
            # The 17 digits identify a valid number (the check character follows from them).
            [f"{u} AS {n}", f"{k} AS id_key", f"CAST({y} AS INT) AS birth_year"],
        )
    if c.kind == "household":
        # The registry's household numbers are at most 32 characters.
        return [], [], [(f"length({s}) > 32", f"value_too_long:{n}")], [f"{s} AS {n}"]
    if c.kind == "village":
        bad = f"NOT {d.matches(s, '[0-9]{12}')} OR substr({s}, 10, 3) = '000'"
        return [], [], [(bad, f"invalid_village_code:{n}")], [f"{s} AS {n}"]
    if c.kind == "amount" and typed == "number":
        a = f"a_{n}"
        return (
            [f"TRY_CAST({s} AS {MONEY}) AS {a}"],
            [],
            [
                (f"{s} < 0", f"negative_amount:{n}"),
                (f"{a} IS NULL OR {a} <> {s}", f"unparsable_number:{n}"),
            ],
            [f"{a} AS {n}"],
        )
    if c.kind == "year" and typed == "number":
        y = f"TRY_CAST({s} AS INT)"
        return (
            [],
            [],
            [(f"{y} IS NULL OR {y} <> {s} OR {s} < 0 OR {s} > 9999", f"unparsable_number:{n}")],
            [f"{y} AS {n}"],
        )
    if c.kind == "date" and typed == "date":
        return [f"{s} AS d_{n}"], [], [], [f"{s} AS {n}"]
    if c.kind == "amount":
        a = f"a_{n}"
        return (
            [f"TRY_CAST({s} AS {MONEY}) AS {a}"],
            [],
            [
                (d.matches(s, f"-{NUMBER}"), f"negative_amount:{n}"),
                (f"NOT {d.matches(s, NUMBER)} OR {a} IS NULL", f"unparsable_number:{n}"),
            ],
            [f"{a} AS {n}"],
        )
    if c.kind == "year":
        return (
            [],
            [],
            [(f"NOT {d.matches(s, '[0-9]{4}')}", f"unparsable_number:{n}")],
            [f"TRY_CAST({s} AS INT) AS {n}"],
        )
    if c.kind == "date":
        iso = (
            f"CASE WHEN {d.matches(s, COMPACT_DATE)} "
            f"THEN substr({s}, 1, 4) || '-' || substr({s}, 5, 2) || '-' || substr({s}, 7, 2) "
            f"WHEN {d.matches(s, DATE)} "
            f"THEN substr({s}, 1, 4) || '-' || substr({s}, 6, 2) || '-' || substr({s}, 9, 2) END"
        )
        dd = f"d_{n}"
        y, m, day = (
            f"TRY_CAST(substr({dd}, {p}, {k}) AS INT)" for p, k in ((1, 4), (6, 2), (9, 2))
        )
        return (
            [f"{iso} AS {dd}"],
            [],
            [(f"{dd} IS NULL OR NOT {_valid_date(y, m, day)}", f"unparsable_date:{n}")],
            [f"{dd} AS {n}"],
        )
    if c.kind == "choice":
        k = f"k_{n}"
        return (
            [f"{_choice(s, c.choices)} AS {k}"],
            [],
            [(f"{k} IS NULL", f"not_in_list:{n}")],
            [f"{k} AS {n}"],
        )
    return [], [], [], [f"{s} AS {n}"]


# Matching across feeds ---------------------------------------------------------------------------


def population_final(checked: str) -> str:
    """Return the population rows with duplicate persons and village disagreements rejected.

    A person's first row counts and later ones are rejected; a household's village is that of
    its first remaining row. Both are found by aggregates (few rows), not by windows over all.
    """
    return f"""
WITH dup AS (
  SELECT id_key, min(line) AS keep FROM {checked} WHERE reason IS NULL
  GROUP BY id_key HAVING count(*) > 1),
mixed AS (
  SELECT household_no, min_by(village_code, line) AS first_village FROM (
    SELECT c.household_no, c.village_code, c.line FROM {checked} c
    LEFT JOIN dup ON dup.id_key = c.id_key
    WHERE c.reason IS NULL AND (dup.keep IS NULL OR dup.keep = c.line)) k
  GROUP BY household_no HAVING min(village_code) <> max(village_code))
SELECT c.line, c.household_no, c.id_key, c.village_code, c.birth_year,
  CASE WHEN c.reason IS NOT NULL THEN c.reason
       WHEN dup.keep IS NOT NULL AND dup.keep <> c.line THEN 'duplicate_id_number:id_number'
       WHEN mixed.first_village IS NOT NULL AND c.village_code <> mixed.first_village
       THEN 'village_mismatch:village_code' END AS reason
FROM {checked} c
LEFT JOIN dup ON dup.id_key = c.id_key AND c.reason IS NULL
LEFT JOIN mixed ON mixed.household_no = c.household_no AND c.reason IS NULL"""


# Lean on purpose: names and ID texts stay in population_checked, read back by line for the few
# households that need them (FINDINGS).
PERSONS = """
SELECT id_key, household_no, birth_year, line
FROM population_final WHERE reason IS NULL"""

HOUSEHOLDS = """
SELECT household_no, min(village_code) AS village_code, count(*) AS size
FROM population_final WHERE reason IS NULL GROUP BY household_no"""


def feed_final(feed: str, checked: str) -> str:
    """Return a feed's rows matched to the population, unmatched ones rejected (with a reason)."""
    names = ", ".join(f"c.{c.name}" for c in FEEDS[feed].columns)
    if feed in BY_HOUSEHOLD:
        return f"""
SELECT c.line, {names},
  CASE WHEN c.reason IS NOT NULL THEN c.reason
       WHEN h.household_no IS NULL THEN 'household_not_in_population:household_no'
       {_duplicate_when(feed)} END AS reason
FROM {checked} c LEFT JOIN households h ON h.household_no = c.household_no
{_duplicate_join(feed, checked)}"""
    assert feed in BY_PERSON
    return f"""
SELECT c.line, {names}, p.household_no, p.birth_year,
  CASE WHEN c.reason IS NOT NULL THEN c.reason
       WHEN p.id_key IS NULL THEN 'person_not_in_population:id_number' END AS reason
FROM {checked} c LEFT JOIN persons p ON p.id_key = c.id_key"""


def _duplicate_when(feed: str) -> str:
    # One income row per household and year: a later row of the same year cannot be used.
    if feed != "income":
        return ""
    return "WHEN k.keep IS NOT NULL AND k.keep <> c.line THEN 'duplicate_row:year'"


def _duplicate_join(feed: str, checked: str) -> str:
    if feed != "income":
        return ""
    return f"""LEFT JOIN (SELECT household_no, year, min(line) AS keep FROM {checked}
           WHERE reason IS NULL GROUP BY household_no, year HAVING count(*) > 1) k
  ON k.household_no = c.household_no AND k.year = c.year AND c.reason IS NULL"""


def registry_final(checked: str) -> str:
    """Return the registry rows, a household's later rows rejected."""
    return f"""
SELECT c.line, c.household_no, c.category,
  CASE WHEN c.reason IS NOT NULL THEN c.reason
       WHEN k.keep IS NOT NULL AND k.keep <> c.line THEN 'duplicate_row:household_no' END AS reason
FROM {checked} c
LEFT JOIN (SELECT household_no, min(line) AS keep FROM {checked} WHERE reason IS NULL
           GROUP BY household_no HAVING count(*) > 1) k
  ON k.household_no = c.household_no AND c.reason IS NULL"""


# The rules ---------------------------------------------------------------------------------------


def _param(params: list[tuple[str, Params]], field: str, transform=lambda v: v) -> str:
    """Return the parameter for each household: that of the longest region prefix it matches."""
    ordered = sorted(params, key=lambda item: len(item[0]), reverse=True)
    literal = [
        (prefix, f"CAST({q(str(transform(getattr(p, field))))} AS {RATE})") for prefix, p in ordered
    ]
    default = next((v for prefix, v in literal if prefix == ""), "NULL")
    whens = " ".join(
        f"WHEN h.village_code LIKE {q(prefix + '%')} THEN {v}" for prefix, v in literal if prefix
    )
    return f"CASE {whens} ELSE {default} END" if whens else default


def screened(
    *, year: int, present: set[str], registry: bool, params: list[tuple[str, Params]]
) -> str:
    """Return one row per household of the population: its figures and one boolean per rule."""
    y, first, last = year, f"'{year:04d}-01-01'", f"'{year:04d}-12-31'"
    joins, figures = [], []
    if "income" in present:
        joins.append(f"""
LEFT JOIN (SELECT household_no,
             CAST(sum(CASE WHEN year = {y} THEN wage + business + property + transfer - production_cost END) AS {MONEY}) AS net,
             CAST(sum(CASE WHEN year = {y - 1} THEN wage + business + property + transfer - production_cost END) AS {MONEY}) AS net_prev
           FROM income_final WHERE reason IS NULL AND year IN ({y}, {y - 1})
           GROUP BY household_no) inc ON inc.household_no = h.household_no""")
        figures += ["inc.net AS net", "inc.net_prev AS net_prev"]
    else:
        figures += [f"CAST(NULL AS {MONEY}) AS net", f"CAST(NULL AS {MONEY}) AS net_prev"]
    if "medical" in present:
        joins.append(f"""
LEFT JOIN (SELECT household_no, CAST(sum(self_pay) AS {MONEY}) AS s
           FROM medical_final WHERE reason IS NULL AND settle_date BETWEEN {first} AND {last}
           GROUP BY household_no) med ON med.household_no = h.household_no""")
        figures.append(f"coalesce(med.s, CAST(0 AS {MONEY})) AS medical_self_pay")
    else:
        figures.append(f"CAST(NULL AS {MONEY}) AS medical_self_pay")
    if "disaster" in present:
        joins.append(f"""
LEFT JOIN (SELECT household_no, CAST(sum(loss) AS {MONEY}) AS d
           FROM disaster_final WHERE reason IS NULL AND date BETWEEN {first} AND {last}
           GROUP BY household_no) dst ON dst.household_no = h.household_no""")
        figures.append(f"coalesce(dst.d, CAST(0 AS {MONEY})) AS disaster_loss")
    else:
        figures.append(f"CAST(NULL AS {MONEY}) AS disaster_loss")
    if "disability" in present:
        joins.append(f"""
LEFT JOIN (SELECT household_no, count(*) AS n
           FROM disability_final WHERE reason IS NULL AND grade IN ('1', '2')
             AND cert_date BETWEEN {first} AND {last}
           GROUP BY household_no) dis ON dis.household_no = h.household_no""")
        figures.append("coalesce(dis.n, 0) AS severe_disability_certificates")
    else:
        figures.append("CAST(NULL AS BIGINT) AS severe_disability_certificates")
    if "education" in present:
        joins.append(f"""
LEFT JOIN (SELECT household_no, count(DISTINCT id_number) AS n
           FROM education_final WHERE reason IS NULL AND year = {y} AND status = 'dropped_out'
             AND {y} - birth_year BETWEEN 6 AND 15
           GROUP BY household_no) edu ON edu.household_no = h.household_no""")
        figures.append("coalesce(edu.n, 0) AS dropout_members")
    else:
        figures.append("CAST(NULL AS BIGINT) AS dropout_members")
    if "housing" in present:
        # The latest assessment by the end of Y; of two on that day the worse grade counts.
        joins.append(f"""
LEFT JOIN (SELECT household_no, grade, assessed_date FROM (
             SELECT household_no, grade, assessed_date, row_number() OVER (
               PARTITION BY household_no ORDER BY assessed_date DESC, grade DESC) AS rn
             FROM housing_final WHERE reason IS NULL AND assessed_date <= {last}) hr
           WHERE rn = 1) hou ON hou.household_no = h.household_no""")
        figures += ["hou.grade AS housing_grade", "hou.assessed_date AS housing_assessed_date"]
    else:
        figures += [
            "CAST(NULL AS STRING) AS housing_grade",
            "CAST(NULL AS STRING) AS housing_assessed_date",
        ]
    if "civil" in present:
        joins.append(f"""
LEFT JOIN (SELECT household_no,
             max(CASE WHEN kind = 'dibao' THEN 1 ELSE 0 END) AS dibao,
             max(CASE WHEN kind = 'tekun' THEN 1 ELSE 0 END) AS tekun
           FROM civil_final WHERE reason IS NULL AND start_date <= {last}
             AND (end_date IS NULL OR end_date >= {first})
           GROUP BY household_no) civ ON civ.household_no = h.household_no""")
        figures.append(
            "concat_ws(';', CASE WHEN civ.dibao = 1 THEN 'dibao' END, "
            "CASE WHEN civ.tekun = 1 THEN 'tekun' END) AS civil_kinds"
        )
    else:
        figures.append("CAST(NULL AS STRING) AS civil_kinds")
    if registry:
        joins.append(
            "LEFT JOIN (SELECT household_no, category FROM registry_final WHERE reason IS NULL) reg "
            "ON reg.household_no = h.household_no"
        )
        figures.append("reg.category AS registry_category")
    else:
        figures.append("CAST(NULL AS STRING) AS registry_category")
    p = {
        "t": _param(params, "income_threshold"),
        "keep": _param(params, "income_drop_ratio", lambda r: Decimal(1) - r),
        "med_abs": _param(params, "medical_abs"),
        "med_ratio": _param(params, "medical_ratio"),
        "dis_abs": _param(params, "disaster_abs"),
        "dis_ratio": _param(params, "disaster_ratio"),
    }
    return f"""
SELECT h.household_no, h.village_code, h.size, {", ".join(figures)},
  {", ".join(f"{v} AS p_{k}" for k, v in p.items())}
FROM households h {" ".join(joins)}"""


ZERO = f"CAST(0 AS {MONEY})"
RULE_SQL = {
    "low_income": "net IS NOT NULL AND net < p_t * size",
    "income_drop": "net IS NOT NULL AND net_prev IS NOT NULL AND net_prev > 0 AND net < p_keep * net_prev",
    "medical_burden": (
        "medical_self_pay >= p_med_abs OR (net IS NOT NULL AND medical_self_pay > 0 "
        f"AND medical_self_pay > p_med_ratio * greatest(net, {ZERO}))"
    ),
    "severe_disability": "severe_disability_certificates > 0",
    "disaster": (
        "disaster_loss >= p_dis_abs OR (net IS NOT NULL AND disaster_loss > 0 "
        f"AND disaster_loss > p_dis_ratio * greatest(net, {ZERO}))"
    ),
    "dropout": "dropout_members > 0",
    "unsafe_house": "housing_grade IN ('C', 'D')",
    "assistance_mismatch": (
        "civil_kinds <> '' AND (registry_category IS NULL OR registry_category = 'ordinary')"
    ),
}


def flagged(d: Dialect, *, rules: list[str], source: str = "screened") -> str:
    """Return every household with its rule flags, rules text and per-capita income."""
    flags = ", ".join(f"coalesce({RULE_SQL[r]}, false) AS r_{r}" for r in rules)
    text = ", ".join(f"CASE WHEN r_{r} THEN '{r}' END" for r in sorted(rules)) or "NULL"
    cents = "CAST(net * 100 AS BIGINT)"
    rounded = (
        f"CASE WHEN {cents} >= 0 THEN {d.intdiv(f'2 * {cents} + size', '2 * size')} "
        f"ELSE -{d.intdiv(f'-2 * {cents} + size', '2 * size')} END"
    )
    return f"""
SELECT *, CASE WHEN net IS NULL THEN NULL
  ELSE CASE WHEN pc < 0 THEN '-' ELSE '' END || CAST({d.intdiv("abs(pc)", "100")} AS STRING) || '.'
       || lpad(CAST(abs(pc) % 100 AS STRING), 2, '0') END AS per_capita_income
FROM (SELECT *, concat_ws(';', {text}) AS rules, CASE WHEN net IS NULL THEN NULL ELSE {rounded} END AS pc
      FROM (SELECT *, {flags} FROM {source}) s1) s2"""


WARNINGS = """
SELECT household_no, village_code, size, per_capita_income, rules, registry_category
FROM flagged WHERE rules <> '' ORDER BY household_no"""


def summary(rules: list[str]) -> str:
    """Return the counts per county-level region: screened, flagged and one column per rule."""
    columns = ", ".join(
        f"sum(CASE WHEN r_{r} THEN 1 ELSE 0 END) AS {r}"
        if r in rules
        else f"CAST(NULL AS BIGINT) AS {r}"
        for r in RULES
    )
    return f"""
SELECT substr(village_code, 1, 6) || '000000' AS county_code, count(*) AS households_screened,
  sum(CASE WHEN rules <> '' THEN 1 ELSE 0 END) AS households_flagged, {columns}
FROM flagged GROUP BY substr(village_code, 1, 6) ORDER BY county_code"""


FINDINGS = """
SELECT f.household_no, f.village_code, f.size, f.rules, f.per_capita_income, f.net, f.net_prev,
  f.medical_self_pay, f.disaster_loss, f.severe_disability_certificates, f.dropout_members,
  f.housing_grade, f.housing_assessed_date, f.civil_kinds, f.registry_category, f.p_t,
  hd.id_number AS head_id_number, hd.name AS head_name, hd.relation AS head_relation
FROM flagged f
LEFT JOIN (SELECT household_no, id_number, name, relation FROM (
             SELECT p.household_no, c.id_number, c.name, c.relation, row_number() OVER (
               PARTITION BY p.household_no
               ORDER BY CASE WHEN c.relation = 'head' THEN 0 ELSE 1 END, p.line) AS rn
             FROM persons p JOIN population_checked c ON c.line = p.line
             WHERE p.household_no IN (SELECT household_no FROM flagged WHERE rules <> '')) pr
           WHERE rn = 1) hd ON hd.household_no = f.household_no
WHERE f.rules <> '' ORDER BY f.household_no"""


def rejected(feeds: list[str]) -> str:
    """Return every unusable row: feed, line, reason; in feed order, then by line."""
    parts = []
    for index, feed in enumerate(feeds):
        parts.append(
            f"SELECT {index} AS k, '{feed}' AS feed, line, reason "
            f"FROM {feed}_final WHERE reason IS NOT NULL"
        )
    if not parts:
        return "SELECT 0 AS k, '' AS feed, 0 AS line, '' AS reason WHERE 1 = 0"
    return f"SELECT feed, line, reason FROM ({' UNION ALL '.join(parts)}) u ORDER BY k, line"
