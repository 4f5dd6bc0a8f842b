"""Exporting a scorecard to XLSX: the period, the weights, and per region each figure, score, total and rank."""

from django.utils import translation
from django.utils.translation import gettext as _

from fupin.core.services import event_record
from fupin.core.tabular import Column, WorkbookWriter
from fupin.oversight.choices import Indicator, Status
from fupin.oversight.selectors import ScorecardData


def _number(value) -> float | None:
    return None if value is None else float(value)


def scorecard_workbook(*, card: ScorecardData, user=None) -> bytes:
    """Return the scorecard as an XLSX file (Chinese headings) and record the export as an event."""
    with translation.override("zh-hans"):
        title = _("%(region)s 下级考核排名") % {"region": card.region.name}
        status = str(Status(card.status).label)
        labels = {i.value: str(i.label) for i in Indicator}
        heading = [_("名次"), _("区划代码"), _("区划")]
        for indicator in Indicator:
            heading += [
                f"{labels[indicator]}（{_('数值')}）",
                f"{labels[indicator]}（{_('达标/总数')}）",
                f"{labels[indicator]}（{_('得分')}）",
            ]
        heading.append(_("总分"))
        meta = [
            [title],
            [_("考核期"), f"{card.start:%Y-%m-%d} — {card.end:%Y-%m-%d}"],
            [_("数据截至"), f"{card.as_of:%Y-%m-%d}"],
            [_("状态"), status],
            [_("权重"), *(f"{labels[k]} {w}" for k, w in card.weights.items())],
            [
                _("审定用时目标（天）"),
                *(str(v) for k, v in card.targets.items() if k == Indicator.DAYS),
            ],
            [
                _("说明"),
                _(
                    "比率指标得分 = 比率；用时得分 = 不超过目标为 1，否则为 目标 ÷ 中位数；总分 = Σ权重×得分，无数据的指标不计，其余权重按比例折算为 100 分"
                ),
            ],
            [],
        ]
        sheet_title = _("考核排名")

    workbook = WorkbookWriter()
    sheet = workbook.sheet(
        sheet_title,
        [Column(h, width=15 if i == 1 else 14 if i == 2 else None) for i, h in enumerate(heading)],
        lead=meta,
    )
    for row in card.rows:
        cells = [row.rank, row.region, row.name]
        for indicator in Indicator:
            figure = row.figures[indicator]
            counted = (
                f"{figure.hits}/{figure.count}"
                if figure.hits is not None
                else (str(figure.count) if figure.count else None)
            )
            cells += [
                _number(figure.value),
                counted,
                _number(figure.score),
            ]
        cells.append(_number(row.total))
        sheet.append(cells)
    content = workbook.content()
    event_record(
        actor=user,
        verb="oversight.scorecard_exported",
        object_type="regions.region",
        object_id=card.region.code,
        region_code=card.region.code,
        data={"start": str(card.start), "end": str(card.end), "status": card.status},
    )
    return content
