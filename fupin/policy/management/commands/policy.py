"""`fupin policy show [--region CODE] [--date D]` and `fupin policy set KEY VALUE --region CODE --from D --reason T`."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from fupin.accounts.models import User
from fupin.core.commands import FupinCommand
from fupin.core.errors import Refused
from fupin.policy.selectors import policy_resolve_all
from fupin.policy.services import policy_seed_defaults, policy_set


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Refused("invalid_date", _("日期格式应为 YYYY-MM-DD"), {"value": text}) from None


class Command(FupinCommand):
    help = "Show or set effective-dated policy parameters."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="values in force for a region on a date")
        show.add_argument("--region", default=None)
        show.add_argument("--date", default=None, help="YYYY-MM-DD (default today)")
        put = sub.add_parser("set", help="record a value from a date")
        put.add_argument("key")
        put.add_argument("value")
        put.add_argument("--region", required=True, help="12-digit region code, or 'national'")
        put.add_argument("--from", dest="valid_from", required=True, help="YYYY-MM-DD")
        put.add_argument("--reason", required=True)
        put.add_argument("--source", default="")
        put.add_argument("--by", default=None, help="username recorded as the actor")
        sub.add_parser("seed", help="insert shipped defaults that are missing")

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def handle_show(self, region, date, **_options):
        on = _date(date) if date else timezone.localdate()
        resolved = policy_resolve_all(region_code=region, on=on)
        self.stdout.write(f"# policy for {region or 'national'} on {on.isoformat()}")
        for key, item in resolved.items():
            where = item.row.region_id or "national"
            mark = (
                "sourced"
                if item.row.sourced
                else ("illustrative" if item.row.is_shipped_default else "set")
            )
            origin = item.row.source or item.row.reason
            self.stdout.write(
                f"{key}\t{item.value}\t{item.key.unit}\t{where}\tfrom {item.row.valid_from}"
                f"\t{mark}\t{origin}"
            )

    def handle_set(self, key, value, region, valid_from, reason, source, by, **_options):
        actor = None
        if by:
            actor = User.objects.filter(username=by).first()
            if actor is None:
                raise Refused("unknown_user", _("用户不存在"), {"username": by})
        row = policy_set(
            key=key,
            value=value,
            region_code=None if region == "national" else region,
            valid_from=_date(valid_from),
            reason=reason,
            actor=actor,
            source=source,
            sourced=bool(source),
        )
        self.stdout.write(
            f"set {row.key}={row.value} for {row.region_id or 'national'} from {row.valid_from}"
        )

    def handle_seed(self, **_options):
        self.stdout.write(f"added {policy_seed_defaults()} default values")
