"""The feeds of department screening: their columns, accepted values and the rules that need them."""

from dataclasses import dataclass, field

RULES = (
    "assistance_mismatch",
    "disaster",
    "dropout",
    "income_drop",
    "low_income",
    "medical_burden",
    "severe_disability",
    "unsafe_house",
)

# The feed whose absence skips a rule (the registry is not a feed: see RULE_NEEDS_REGISTRY).
RULE_FEED = {
    "assistance_mismatch": "civil",
    "disaster": "disaster",
    "dropout": "education",
    "income_drop": "income",
    "low_income": "income",
    "medical_burden": "medical",
    "severe_disability": "disability",
    "unsafe_house": "housing",
}
RULE_NEEDS_REGISTRY = ("assistance_mismatch",)

RELATIONS = {
    "head": "户主",
    "spouse": "配偶",
    "son": "之子",
    "daughter": "之女",
    "daughter_in_law": "之儿媳",
    "son_in_law": "之女婿",
    "grandson": "之孙子",
    "granddaughter": "之孙女",
    "father": "之父",
    "mother": "之母",
    "sibling": "兄弟姐妹",
    "other": "其他",
}
CATEGORIES = {
    "not_lifted": "未脱贫",
    "monitored": "监测对象",
    "lifted_supported": "脱贫享受政策",
    "lifted": "脱贫不享受政策",
    "ordinary": "一般农户",
}


def _choices(pairs: dict[str, str | tuple[str, ...]]) -> dict[str, str]:
    """Return accepted text → key: each key itself and its labels."""
    accepted = {}
    for key, labels in pairs.items():
        accepted[key] = key
        for label in (labels,) if isinstance(labels, str) else labels:
            accepted[label] = key
    return accepted


@dataclass(frozen=True)
class Column:
    """A column of a feed: its kind of value, header aliases and, for a choice, the accepted values."""

    name: str
    kind: str  # id, household, village, text, amount, year, date, choice
    aliases: tuple[str, ...] = ()
    choices: dict[str, str] = field(default_factory=dict)
    required: bool = True  # a required column must be in the header and filled in every row
    empty_as: str | None = None  # the value of an empty cell of an optional column ("0" for income)


@dataclass(frozen=True)
class Feed:
    """A department's file: its name and columns."""

    name: str
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


HOUSEHOLD = Column("household_no", "household", ("户编号", "户号"))
ID_NUMBER = Column("id_number", "id", ("证件号码", "身份证号码", "身份证号"))


def _amount(name: str, label: str, *, optional: bool = False) -> Column:
    return Column(
        name, "amount", (label,), required=not optional, empty_as="0" if optional else None
    )


FEEDS: dict[str, Feed] = {
    f.name: f
    for f in (
        Feed(
            "population",
            (
                HOUSEHOLD,
                ID_NUMBER,
                Column("name", "text", ("姓名",), required=False),
                Column("relation", "choice", ("与户主关系",), _choices(RELATIONS)),
                Column("village_code", "village", ("行政区划代码", "村代码")),
            ),
        ),
        Feed(
            "income",
            (
                HOUSEHOLD,
                Column("year", "year", ("年度",)),
                _amount("wage", "工资性收入", optional=True),
                _amount("business", "生产经营性收入", optional=True),
                _amount("property", "财产性收入", optional=True),
                _amount("transfer", "转移性收入", optional=True),
                _amount("production_cost", "生产经营性支出", optional=True),
            ),
        ),
        Feed(
            "medical",
            (
                ID_NUMBER,
                Column("settle_date", "date", ("结算日期",)),
                _amount("total_cost", "医疗总费用"),
                _amount("self_pay", "个人自付费用"),
            ),
        ),
        Feed(
            "disability",
            (
                ID_NUMBER,
                Column(
                    "grade",
                    "choice",
                    ("残疾等级",),
                    _choices({"1": "一级", "2": "二级", "3": "三级", "4": "四级"}),
                ),
                Column("cert_date", "date", ("发证日期",)),
            ),
        ),
        Feed(
            "disaster",
            (
                HOUSEHOLD,
                Column("date", "date", ("受灾日期", "日期")),
                _amount("loss", "损失金额"),
            ),
        ),
        Feed(
            "education",
            (
                ID_NUMBER,
                Column("year", "year", ("年度",)),
                Column(
                    "status",
                    "choice",
                    ("在校状态", "状态"),
                    _choices({"enrolled": ("在读", "在校"), "dropped_out": "辍学"}),
                ),
            ),
        ),
        Feed(
            "housing",
            (
                HOUSEHOLD,
                Column(
                    "grade",
                    "choice",
                    ("鉴定等级", "等级"),
                    _choices(
                        {g: (g.lower(), f"{g}级", f"{g.lower()}级") for g in ("A", "B", "C", "D")}
                    ),
                ),
                Column("assessed_date", "date", ("鉴定日期",)),
            ),
        ),
        Feed(
            "civil",
            (
                ID_NUMBER,
                Column(
                    "kind",
                    "choice",
                    ("救助类别", "类别"),
                    _choices(
                        {"dibao": ("低保", "低保户"), "tekun": ("特困", "特困供养", "特困供养户")}
                    ),
                ),
                Column("start_date", "date", ("开始日期",)),
                Column("end_date", "date", ("结束日期",), required=False),
            ),
        ),
    )
}

# The registry standing as a file (`--registry FILE`): read and checked like a feed.
REGISTRY = Feed(
    "registry",
    (HOUSEHOLD, Column("category", "choice", ("帮扶类别", "类别"), _choices(CATEGORIES))),
)

# Feeds whose rows name a household, and those that name a person (matched to the population).
BY_HOUSEHOLD = ("income", "disaster", "housing")
BY_PERSON = ("medical", "disability", "education", "civil")
