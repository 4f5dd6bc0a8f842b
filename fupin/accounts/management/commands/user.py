"""`fupin user add USERNAME --role ROLE --region CODE [--password PW]`; `fupin user position USERNAME POST`."""

import getpass

from fupin.accounts.choices import Position, Role
from fupin.accounts.services import user_add, user_set_position
from fupin.core.commands import FupinCommand


class Command(FupinCommand):
    help = (
        "Manage users: add USERNAME --role ROLE --region CODE [--password PW]; "
        "position USERNAME POST|none (a leader's post for the rounds)"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add a user")
        add.add_argument("username")
        add.add_argument("--role", required=True, choices=Role.values)
        add.add_argument("--region", required=True, help="12-digit region code")
        add.add_argument("--password", help="asked for when not given")
        add.add_argument("--name", default="", help="display name")
        add.add_argument(
            "--staff",
            action="store_true",
            help="refused: the admin is for superusers only (createsuperuser)",
        )
        position = sub.add_parser("position", help="set a leader's post (遍访)")
        position.add_argument("username")
        position.add_argument("post", choices=[*Position.values, "none"])

    def handle(self, *args, action, **options):
        if action == "position":
            from fupin.core.management.acting import acting_user

            user = acting_user(options["username"])
            post = "" if options["post"] == "none" else options["post"]
            user_set_position(user=user, position=post)
            self.stdout.write(f"{user.username}: {post or '-'}")
            return
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
            is_staff=options["staff"],
        )
        self.stdout.write(f"created user {user.username} ({user.role} @ {user.region_id})")
