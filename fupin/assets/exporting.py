"""Excel workbook of the three-assets ledger (三资台账) of a region and its child regions."""

from django.utils import translation
from django.utils.translation import gettext as _

from fupin.assets.selectors import LEDGER_FIGURES
from fupin.core.tabular import workbook_bytes


def ledger_labels() -> dict[str, str]:
    """Return the column title of each ledger figure, in the current language."""
    return {
        "funds_opening": _("资金期初结余"),
        "funds_in": _("本期下达"),
        "funds_out": _("本期拨付"),
        "funds_balance": _("资金期末结余"),
        "assets_formed": _("本期形成资产"),
        "assets_funded": _("其中：资金形成"),
        "assets_own": _("其中：自筹及其他"),
        "assets_total": _("累计资产"),
        "work_in_progress": _("在建（已拨付未形成资产）"),
        "income_opening": _("期初未分配收益"),
        "income_earned": _("本期收益"),
        "income_distributed": _("本期分配"),
        "distributed_households": _("其中：分配到户"),
        "distributed_welfare": _("其中：公益岗位"),
        "distributed_village_fund": _("其中：转入村扶贫基金"),
        "income_undistributed": _("期末未分配收益"),
        "village_fund_balance": _("村扶贫基金余额"),
    }


def ledger_workbook(ledger: dict) -> bytes:
    """Return the ledger of `three_assets_ledger` as a workbook: the region, then each child."""
    with translation.override("zh-hans"):
        return _ledger_workbook(ledger)


def _ledger_workbook(ledger: dict) -> bytes:
    labels = ledger_labels()
    header = [_("区划"), _("区划代码"), *(labels[name] for name in LEDGER_FIGURES)]

    def values(row: dict) -> list:
        return [row[name] for name in LEDGER_FIGURES]

    rows = [[f"{ledger['name']}（{_('合计')}）", ledger["region"], *values(ledger)]]
    if ledger["own"]:
        rows.append([_("本级"), ledger["region"], *values(ledger["own"])])
    rows += [[child["name"], child["region"], *values(child)] for child in ledger["children"]]
    title = f"{_('三资台账')} {ledger['start'].isoformat()}~{ledger['end'].isoformat()}"
    return workbook_bytes([(title, header, rows)])


def income_workbook(entries) -> bytes:
    """Return income entries (a queryset of `income_list`) as a workbook, one row each."""
    with translation.override("zh-hans"):
        return _income_workbook(entries)


def _income_workbook(entries) -> bytes:
    from fupin.assets.choices import IncomeKind

    kinds = dict(IncomeKind.choices)
    header = [
        _("到账日期"),
        _("资产"),
        _("所属村"),
        _("收益类型"),
        _("所属期起"),
        _("所属期止"),
        _("凭证号"),
        _("金额"),
    ]
    rows = (
        [
            received_on,
            asset_name,
            village_name,
            str(kinds.get(kind, kind)),
            period_start,
            period_end,
            voucher_no,
            amount,
        ]
        for received_on, asset_name, village_name, kind, period_start, period_end, voucher_no, amount in entries.values_list(
            "received_on",
            "asset__name",
            "asset__village__name",
            "kind",
            "period_start",
            "period_end",
            "voucher_no",
            "amount",
        ).iterator(chunk_size=5000)
    )
    return workbook_bytes([(_("收益台账"), header, rows)])
