"""`fupin assess --region CODE --start D --end D [--close] [--by USERNAME]`: print (and close) a scorecard."""

import datetime as dt

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from fupin.core.commands import FupinCommand
from fupin.core.errors import NotFound
from fupin.core.management.acting import acting_user
from fupin.oversight.choices import Indicator, Status
from fupin.oversight.models import Scorecard
from fupin.oversight.selectors import scorecard_compute, scorecard_frozen
from fupin.oversight.services import scorecard_close
from fupin.regions.models import Region


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("日期应写作 YYYY-MM-DD：%(text)s") % {"text": text}) from None


def _cell(indicator: str, figure) -> str:
    if figure.value is None:
        return "—"
    if indicator == Indicator.DAYS:
        return f"{figure.value}d→{figure.score}"
    return f"{figure.hits}/{figure.count}={figure.score}"


class Command(FupinCommand):
    help = (
        "Print the scorecard of a region's children for a period (rank, total, each indicator); "
        "with --close, freeze it and publish the ranking."
    )

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="12-digit code of the ranking region")
        parser.add_argument("--start", required=True, help="first day of the period, YYYY-MM-DD")
        parser.add_argument("--end", required=True, help="last day of the period, YYYY-MM-DD")
        parser.add_argument("--close", action="store_true", help="freeze and publish the period")
        parser.add_argument("--by", metavar="USERNAME", help="the acting user (default: system)")

    def handle(self, *args, region, start, end, close=False, by=None, **options):
        start, end = _date(start), _date(end)
        actor = acting_user(by)
        if close:
            card = scorecard_frozen(
                snapshot=scorecard_close(parent_code=region, start=start, end=end, actor=actor)
            )
        else:
            snapshot = Scorecard.objects.filter(region_id=region, start=start, end=end).first()
            if snapshot is not None:
                card = scorecard_frozen(snapshot=snapshot)
            else:
                parent = Region.objects.filter(code=region).first()
                if parent is None:
                    raise NotFound("region", {"code": region})
                card = scorecard_compute(region=parent, start=start, end=end)
        self.stdout.write(
            _("%(region)s %(start)s 至 %(end)s（数据截至 %(on)s，%(status)s）")
            % {
                "region": card.region.name,
                "start": card.start,
                "end": card.end,
                "on": card.as_of,
                "status": Status(card.status).label,
            }
        )
        self.stdout.write(
            _("权重：") + " ".join(f"{key}={weight}" for key, weight in card.weights.items())
        )
        self.stdout.write(
            "\t".join([_("名次"), _("区划代码"), _("区划"), _("总分"), *Indicator.values])
        )
        for row in card.rows:
            self.stdout.write(
                "\t".join(
                    [
                        str(row.rank or "—"),
                        row.region,
                        row.name,
                        str(row.total if row.total is not None else "—"),
                        *(_cell(k, row.figures[k]) for k in Indicator.values),
                    ]
                )
            )
        if close:
            self.stdout.write(_("考核期已关闭，排名已冻结发布"))
