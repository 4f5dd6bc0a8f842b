import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fupin.accounts.models import ApiToken, User
from fupin.accounts.services import token_authenticate, token_create, user_add
from fupin.core.errors import FupinError
from fupin.core.models import Event

GOOD = "Zaozhuang-2018!"


def test_user_add_hashes_with_argon2_and_records_an_event(regions, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = user_add(
        username="li", role="town_officer", region_code=regions.town_a.code, password=GOOD
    )
    assert user.password.startswith("argon2$")
    assert user.check_password(GOOD)
    assert Event.objects.filter(verb="user.added", object_id=str(user.pk)).exists()


@pytest.mark.parametrize("password", ["123", "password123", "1234567890123", "short1!"])
def test_weak_passwords_are_refused(regions, password):
    with pytest.raises(FupinError) as exc:
        user_add(
            username="li", role="town_officer", region_code=regions.town_a.code, password=password
        )
    assert exc.value.code == "weak_password"
    assert not User.objects.filter(username="li").exists()


@pytest.mark.parametrize(
    ("role", "region", "code"),
    [
        ("mayor", "370481101000", "invalid_role"),
        ("town_officer", "370481999000", "unknown_region"),
    ],
)
def test_user_add_refuses_bad_role_or_region(regions, role, region, code):
    with pytest.raises(FupinError) as exc:
        user_add(username="li", role=role, region_code=region, password=GOOD)
    assert exc.value.code == code


def test_user_add_command_and_duplicate(regions, capsys):
    call_command(
        "user",
        "add",
        "wang",
        "--role",
        "county_officer",
        "--region",
        regions.county.code,
        "--password",
        GOOD,
    )
    assert User.objects.get(username="wang").region_id == regions.county.code
    with pytest.raises(CommandError, match="user_exists"):
        call_command(
            "user",
            "add",
            "wang",
            "--role",
            "county_officer",
            "--region",
            regions.county.code,
            "--password",
            GOOD,
        )


def test_user_add_command_asks_for_the_password_when_not_given(regions, monkeypatch):
    answers = iter([GOOD, GOOD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("user", "add", "zhao", "--role", "cadre", "--region", regions.village_a.code)
    assert User.objects.get(username="zhao").check_password(GOOD)


def test_token_create_prints_once_and_stores_only_a_digest(regions, capsys):
    user_add(username="wang", role="county_officer", region_code=regions.county.code, password=GOOD)
    call_command("token", "create", "wang")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("fpn_")
    token = ApiToken.objects.get()
    assert token.digest != raw and raw not in token.digest
    assert token_authenticate(raw).username == "wang"
    assert token_authenticate(raw + "x") is None


def test_token_of_an_inactive_user_does_not_authenticate(regions):
    user = user_add(
        username="wang", role="county_officer", region_code=regions.county.code, password=GOOD
    )
    _token, raw = token_create(user=user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert token_authenticate(raw) is None
