"""`fupin demo [--households N] [--seed S] [--if-empty]`: load the Zaozhuang demo and print its users."""

from django.utils.translation import gettext as _

from fupin.accounts.choices import Position, Role
from fupin.accounts.models import User
from fupin.core.commands import FupinCommand
from fupin.core.demo import DEMO_LEADERS, DEMO_PASSWORD, DEMO_USERNAMES, DemoUser, demo_load
from fupin.registry.models import Household


class Command(FupinCommand):
    help = "Load deterministic demo data of Zaozhuang into an empty registry and create demo users."

    def add_arguments(self, parser):
        parser.add_argument(
            "--households", type=int, default=3000, help="number of households (default 3000)"
        )
        parser.add_argument(
            "--seed", type=int, default=2018, help="random seed; the same seed gives the same data"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the registry already holds households",
        )

    def handle(self, *args, households, seed, if_empty, **options):
        if if_empty and Household.objects.exists():
            self.stdout.write(_("登记库中已有农户，未装入演示数据。"))
            users = [
                DemoUser(u.username, u.role, u.region_id, u.region.name, u.position)
                for u in User.objects.filter(
                    username__in=DEMO_USERNAMES + DEMO_LEADERS
                ).select_related("region")
            ]
            users.sort(key=lambda u: (DEMO_USERNAMES + DEMO_LEADERS).index(u.username))
            self.print_users(users)
            return
        summary = demo_load(households=households, seed=seed)
        self.stdout.write(
            _(
                "演示数据已装入（种子 %(seed)s）：%(households)s 户，%(persons)s 人，%(incomes)s 条年度收入，"
                "%(villages)s 个村；用时 %(seconds)s 秒。"
            )
            % {
                "seed": summary.seed,
                "households": summary.households,
                "persons": summary.persons,
                "incomes": summary.incomes,
                "villages": summary.villages,
                "seconds": summary.seconds,
            }
        )
        self.print_users(summary.users)

    def print_users(self, users: list[DemoUser]) -> None:
        """Print the demo accounts and their shared password."""
        if not users:
            return
        self.stdout.write(_("演示用户（密码均为 %(password)s）：") % {"password": DEMO_PASSWORD})
        for user in users:
            role = Role(user.role).label
            if user.position:
                role = f"{role}·{Position(user.position).label}"
            self.stdout.write(
                f"  {user.username:<11} {role:<12} {user.region_name} ({user.region_code})"
            )
