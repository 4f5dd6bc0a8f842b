"""`fupin token create USERNAME`: print a new API token once."""

from django.utils.translation import gettext as _

from fupin.accounts.models import User
from fupin.accounts.services import token_create
from fupin.core.commands import FupinCommand
from fupin.core.errors import Refused


class Command(FupinCommand):
    help = "Manage API tokens: create USERNAME [--label TEXT]"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token and print it once")
        create.add_argument("username")
        create.add_argument("--label", default="")

    def handle(self, *args, action, username, label, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise Refused("unknown_user", _("用户不存在"), {"username": username})
        _token, raw = token_create(user=user, label=label)
        self.stdout.write(raw)
