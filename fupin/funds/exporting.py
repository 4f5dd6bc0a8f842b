"""Excel workbooks of funds: the balances of a region by child region, year and kind."""

from django.utils import translation
from django.utils.translation import gettext as _

from fupin.core.inputs import cents
from fupin.core.tabular import workbook_bytes
from fupin.funds.selectors import FIGURES


def figure_labels() -> list[str]:
    """Return the column titles of the balance figures, in the current language."""
    return [
        _("资金金额"),
        _("已下达"),
        _("已拨付"),
        _("未下达"),
        _("已下达未拨付"),
        _("结余（金额−已拨付）"),
    ]


def balances_workbook(figures: dict, sources=()) -> bytes:
    """Return the balances of `fund_balances` as a workbook: by region, year, kind and source.

    `sources` are the rows of `source_list` for the same region and year. Headings are Chinese.
    """
    with translation.override("zh-hans"):
        return _balances_workbook(figures, sources)


def _balances_workbook(figures: dict, sources) -> bytes:
    labels = figure_labels()

    def values(row: dict) -> list:
        return [row[name] for name in FIGURES]

    by_region = [[f"{figures['name']}（{_('合计')}）", *values(figures)]]
    if figures["own"]:
        by_region.append([_("本级"), *values(figures["own"])])
    by_region += [[child["name"], *values(child)] for child in figures["children"]]
    return workbook_bytes(
        [
            (_("按区划"), [_("区划"), *labels], by_region),
            (
                _("按年度"),
                [_("年度"), *labels],
                [[y["year"], *values(y)] for y in figures["years"]],
            ),
            (
                _("按资金类型"),
                [_("资金类型"), *labels],
                [[k["label"], *values(k)] for k in figures["kinds"]],
            ),
            (
                _("按资金来源"),
                [_("年度"), _("区划"), _("资金类型"), _("文号"), *labels],
                (
                    [
                        x.year,
                        x.region.name,
                        f"{x.get_level_display() if x.level else ''}{x.get_kind_display()}",
                        x.document_no,
                        *(cents(getattr(x, name)) for name in FIGURES),
                    ]
                    for x in sources
                ),
            ),
        ]
    )
