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
    d: Dialect, feed: Feed, sources: dict[str, tuple[str, bool]], table: str
) -> str:
    """Return the raw rows of a Parquet feed: each column as text (floats through a decimal)."""
    columns = []
    for c in feed.columns:
        if c.name not in sources:
            columns.append(f"CAST(NULL AS STRING) AS c_{c.name}")
            continue
        source, is_float = sources[c.name]
        # A float's text differs between engines (1.0E7 / 10000000.0); its exact decimal does not.
        name = d.ident(source)
        value = f"CAST({name} AS DECIMAL(38,10))" if is_float else name
        columns.append(f"CAST({value} AS STRING) AS c_{c.name}")
    return f"SELECT line, CAST(NULL AS STRING) AS row_reason, {', '.join(columns)} FROM {table}"


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


def check_feed(d: Dialect, feed: Feed, raw: str, *, today: str) -> str:
    """Return the checked rows of a feed: line, typed columns, and `reason` when the row is unusable."""
    trimmed = ", ".join(
        f"coalesce(NULLIF(trim(c_{c.name}), ''), {q(c.empty_as)}) AS s_{c.name}"
        if c.empty_as is not None
        else f"NULLIF(trim(c_{c.name}), '') AS s_{c.name}"
        for c in feed.columns
    )
    derived: list[str] = []
    checks: list[tuple[str, str]] = []
    typed: list[str] = []
    for c in feed.columns:
        s = f"s_{c.name}"
        if c.required and c.empty_as is None:
            checks.append((f"{s} IS NULL", f"missing_value:{c.name}"))
        derived_c, checks_c, typed_c = _column(d, c, s, today)
        derived += derived_c
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
FROM (SELECT *, {", ".join(derived) if derived else "1 AS one"}
      FROM (SELECT line, row_reason, {trimmed} FROM {raw}) r1) r2"""


def _column(d: Dialect, c: Column, s: str, today: str):
    """Return (derived expressions, checks, typed outputs) of one column."""
    n = c.name
    if c.kind == "id":
        u = f"u_{n}"
        digits = " + ".join(
            f"(ascii(substr({u}, {i + 1}, 1)) - 48) * {w}" for i, w in enumerate(WEIGHTS)
        )
        y, m, day = (
            f"TRY_CAST(substr({u}, {p}, {k}) AS INT)" for p, k in ((7, 4), (11, 2), (13, 2))
        )
        return (
            [f"upper({s}) AS {u}"],
            [
                (f"length({u}) <> 18", f"id_length:{n}"),
                (f"NOT {d.matches(u, '[0-9]{17}[0-9X]')}", f"id_format:{n}"),
                (
                    f"substr('10X98765432', (({digits}) % 11) + 1, 1) <> substr({u}, 18, 1)",
                    f"id_checksum:{n}",
                ),
                (f"NOT {_valid_date(y, m, day)}", f"id_component:{n}"),
                (f"substr({u}, 7, 8) > {q(today.replace('-', ''))}", f"id_future_birth:{n}"),
            ],
            [f"{u} AS {n}", f"TRY_CAST(substr({u}, 7, 4) AS INT) AS birth_year"],
        )
    if c.kind == "village":
        bad = f"NOT {d.matches(s, '[0-9]{12}')} OR substr({s}, 10, 3) = '000'"
        return [], [(bad, f"invalid_village_code:{n}")], [f"{s} AS {n}"]
    if c.kind == "amount":
        a = f"a_{n}"
        return (
            [f"TRY_CAST({s} AS {MONEY}) AS {a}"],
            [
                (d.matches(s, f"-{NUMBER}"), f"negative_amount:{n}"),
                (f"NOT {d.matches(s, NUMBER)} OR {a} IS NULL", f"unparsable_number:{n}"),
            ],
            [f"{a} AS {n}"],
        )
    if c.kind == "year":
        return (
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
            [(f"{dd} IS NULL OR NOT {_valid_date(y, m, day)}", f"unparsable_date:{n}")],
            [f"{dd} AS {n}"],
        )
    if c.kind == "choice":
        k = f"k_{n}"
        return (
            [f"{_choice(s, c.choices)} AS {k}"],
            [(f"{k} IS NULL", f"not_in_list:{n}")],
            [f"{k} AS {n}"],
        )
    return [], [], [f"{s} AS {n}"]


# Matching across feeds ---------------------------------------------------------------------------


def population_final(checked: str) -> str:
    """Return the population rows with duplicate persons and village disagreements rejected."""
    return f"""
SELECT line, household_no, id_number, name, relation, village_code, birth_year,
  CASE WHEN reason IS NOT NULL THEN reason
       WHEN dup > 1 THEN 'duplicate_id_number:id_number'
       WHEN village_code <> first_village THEN 'village_mismatch:village_code' END AS reason
FROM (
  SELECT c.*, d.dup,
    CASE WHEN d.dup = 1 THEN first_value(c.village_code) OVER (
      PARTITION BY c.household_no, d.dup ORDER BY c.line) END AS first_village
  FROM {checked} c
  LEFT JOIN (SELECT line, row_number() OVER (PARTITION BY id_number ORDER BY line) AS dup
             FROM {checked} WHERE reason IS NULL) d ON d.line = c.line
) p"""


PERSONS = """
SELECT id_number, household_no, birth_year, line, name, relation
FROM population_final WHERE reason IS NULL"""

HOUSEHOLDS = """
SELECT household_no, min(village_code) AS village_code, count(*) AS size
FROM population_final WHERE reason IS NULL GROUP BY household_no"""


def feed_final(feed: str, checked: str) -> str:
    """Return a feed's rows matched to the population, unmatched ones rejected (with a reason)."""
    names = ", ".join(f"c.{c.name}" for c in FEEDS[feed].columns)
    if feed in BY_HOUSEHOLD:
        sql = f"""
SELECT c.line, {names},
  CASE WHEN c.reason IS NOT NULL THEN c.reason
       WHEN h.household_no IS NULL THEN 'household_not_in_population:household_no' END AS reason
FROM {checked} c LEFT JOIN households h ON h.household_no = c.household_no"""
    else:
        assert feed in BY_PERSON
        sql = f"""
SELECT c.line, {names}, p.household_no, p.birth_year,
  CASE WHEN c.reason IS NOT NULL THEN c.reason
       WHEN p.id_number IS NULL THEN 'person_not_in_population:id_number' END AS reason
FROM {checked} c LEFT JOIN persons p ON p.id_number = c.id_number"""
    if feed != "income":
        return sql
    # One income row per household and year: a later row of the same year cannot be used.
    return f"""
SELECT m.*, CASE WHEN m.reason IS NOT NULL THEN m.reason
                 WHEN row_number() OVER (PARTITION BY m.household_no, m.year, m.reason
                                         ORDER BY m.line) > 1
                 THEN 'duplicate_row:year' END AS final_reason
FROM ({sql}) m"""


def registry_final(checked: str) -> str:
    """Return the registry rows, a household's later rows rejected."""
    return f"""
SELECT line, household_no, category,
  CASE WHEN reason IS NOT NULL THEN reason
       WHEN row_number() OVER (PARTITION BY household_no, reason ORDER BY line) > 1
       THEN 'duplicate_row:household_no' END AS final_reason
FROM {checked}"""


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
           FROM income_final WHERE final_reason IS NULL AND year IN ({y}, {y - 1})
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
            "LEFT JOIN (SELECT household_no, category FROM registry_final WHERE final_reason IS NULL) reg "
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


def flagged(d: Dialect, *, rules: list[str]) -> str:
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
      FROM (SELECT *, {flags} FROM screened) s1) s2"""


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
             SELECT household_no, id_number, name, relation, row_number() OVER (
               PARTITION BY household_no
               ORDER BY CASE WHEN relation = 'head' THEN 0 ELSE 1 END, line) AS rn
             FROM persons) pr WHERE rn = 1) hd ON hd.household_no = f.household_no
WHERE f.rules <> '' ORDER BY f.household_no"""


def rejected(feeds: list[str]) -> str:
    """Return every unusable row: feed, line, reason; in feed order, then by line."""
    parts = []
    for index, feed in enumerate(feeds):
        column = "final_reason" if feed in ("income", "registry") else "reason"
        parts.append(
            f"SELECT {index} AS k, '{feed}' AS feed, line, {column} AS reason "
            f"FROM {feed}_final WHERE {column} IS NOT NULL"
        )
    if not parts:
        return "SELECT 0 AS k, '' AS feed, 0 AS line, '' AS reason WHERE 1 = 0"
    return f"SELECT feed, line, reason FROM ({' UNION ALL '.join(parts)}) u ORDER BY k, line"
