"""`fupin user add USERNAME --role ROLE --region CODE [--password PW]`."""

import getpass

from fupin.accounts.choices import Role
from fupin.accounts.services import user_add
from fupin.core.commands import FupinCommand


class Command(FupinCommand):
    help = "Manage users: add USERNAME --role ROLE --region CODE [--password PW]"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add a user")
        add.add_argument("username")
        add.add_argument("--role", required=True, choices=Role.values)
        add.add_argument("--region", required=True, help="12-digit region code")
        add.add_argument("--password", help="asked for when not given")
        add.add_argument("--name", default="", help="display name")

    def handle(self, *args, action, **options):
        password = options["password"]
        if password is None:
            password = getpass.getpass("密码 / Password: ")
            if getpass.getpass("再次输入 / Again: ") != password:
                self.stderr.write("passwords_differ: 两次输入的密码不一致")
                raise SystemExit(2)
        user = user_add(
            username=options["username"],
            role=options["role"],
            region_code=options["region"],
            password=password,
            display_name=options["name"],
        )
        self.stdout.write(f"created user {user.username} ({user.role} @ {user.region_id})")
